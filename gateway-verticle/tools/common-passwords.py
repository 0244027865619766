#!/usr/bin/env python3
"""Writes the list of common passwords the gateway refuses at sign-up.

The list is made here from the patterns people and breach corpora use most: digit runs, keyboard
walks, common words and names followed by digits, years and a symbol, and the shop's own name. Only
entries the password policy would otherwise accept are kept (at least 10 characters, not one
character repeated), lower-cased, one a line, sorted. Run from the repository root:

    python3 gateway-verticle/tools/common-passwords.py \
        > gateway-verticle/src/main/resources/identity/common-passwords.txt
"""

MIN_LENGTH = 10

DIGIT_RUNS = [
    "1234567890", "0123456789", "12345678910", "123456789012", "1234567890123", "0987654321",
    "9876543210", "1122334455", "1212121212", "1231231231", "123123123123", "1234512345",
    "1234554321", "1234567899", "1234567891", "1029384756", "1357924680", "2468013579",
    "1472583690", "7894561230", "3692581470", "7418529630", "9638527410", "1111122222",
    "1112223334", "2222233333", "5555566666", "1234123412", "4321432143", "6969696969",
    "0000011111", "1010101010", "2020202020", "1313131313", "0102030405", "1020304050",
    "5432154321", "7777777771", "1234567809", "12341234", "11223344556677",
]

KEYBOARD_WALKS = [
    "qwertyuiop", "qwertyuiop[]", "asdfghjkl;", "asdfghjkl", "zxcvbnm,./", "zxcvbnm", "qwerty",
    "qwertz", "azerty", "azertyuiop", "qwertzuiop", "1qaz2wsx", "1qaz2wsx3edc", "1qaz2wsx3edc4rfv",
    "qazwsxedc", "qazwsxedcrfv", "zaq12wsx", "zaq1zaq1", "xsw2zaq1", "!qaz@wsx", "!qaz2wsx",
    "1q2w3e4r", "1q2w3e4r5t", "1q2w3e4r5t6y", "q1w2e3r4t5", "q1w2e3r4t5y6", "qweasdzxc",
    "qweasdzxc123", "asdfgh", "asdfghjk", "qwer1234", "qwert12345", "asdf1234", "zxcv1234",
    "qwerasdfzxcv", "poiuytrewq", "lkjhgfdsa", "mnbvcxz", "mnbvcxzlkjhgfdsa", "qwertyasdfgh",
    "qweqweqwe", "asdasdasd", "zxczxczxc", "qwe123qwe", "123qweasd", "123qweasdzxc",
    "1qazxsw2", "2wsx3edc", "3edc4rfv", "abcdefghij", "abcdefghijk", "abcdefghijklmnop",
    "abcd1234", "abc123abc", "abcabcabc", "a1b2c3d4e5", "aaabbbccc", "qwertyqwerty",
    "asdfasdfasdf", "qwertyui", "1qa2ws3ed", "zaqxswcde", "!@#$%^&*()", "!@#$%^&*",
    "1234qwer", "12345qwert", "123456qwerty", "qwerty123456", "qwerty12345", "qwerty1234",
    "qwerty123", "qwertyuiop1", "qwertyuiop123", "asdfghjkl1", "asdfghjkl123", "zxcvbnm123",
    "zxcvbnm1234", "1234abcd", "12345abcde", "abcde12345", "a1s2d3f4g5", "z1x2c3v4b5",
]

WORDS = [
    "password", "passw0rd", "p@ssword", "p@ssw0rd", "pa$$word", "passwort", "motdepasse",
    "contraseña", "contrasena", "senha", "parola", "wachtwoord", "haslo", "iloveyou", "iloveu",
    "ilovemyself", "princess", "sunshine", "football", "baseball", "basketball", "soccer",
    "hockey", "welcome", "dragon", "monkey", "letmein", "shadow", "master", "superman", "batman",
    "spiderman", "ironman", "starwars", "pokemon", "trustno1", "whatever", "freedom", "liverpool",
    "chelsea", "arsenal", "barcelona", "realmadrid", "manchester", "michael", "jennifer",
    "jessica", "ashley", "daniel", "charlie", "jordan", "thomas", "robert", "matthew", "andrew",
    "joshua", "william", "anthony", "nicole", "michelle", "elizabeth", "christopher", "alexander",
    "hannah", "samantha", "computer", "internet", "login", "admin", "administrator", "changeme",
    "default", "secret", "access", "qwerty", "abc123", "hello", "hellokitty", "flower",
    "butterfly", "chocolate", "cookie", "summer", "winter", "autumn", "spring", "january",
    "february", "october", "november", "december", "monday", "friday", "mustang", "ferrari",
    "porsche", "corvette", "harley", "yankees", "cowboys", "eagles", "lakers", "tigger", "snoopy",
    "pepper", "ginger", "buster", "bailey", "maggie", "killer", "hunter", "ranger", "jordan23",
    "michael23", "lovely", "loveyou", "love", "lover", "babygirl", "angel", "angels", "beautiful",
    "family", "friends", "forever", "blessed", "jesus", "jesuschrist", "god", "heaven",
    "matrix", "mercedes", "nintendo", "playstation", "xbox360", "minecraft", "fortnite",
    "roblox", "zelda", "gandalf", "hogwarts", "harrypotter", "metallica", "nirvana", "qazwsx",
    "test", "testing", "test1234", "guest", "user", "root", "toor", "server", "oracle", "mysql",
    "postgres", "database", "system", "manager", "office", "company", "business", "money",
    "dollar", "cheese", "banana", "orange", "apple", "purple", "yellow", "silver", "golden",
    "diamond", "crystal", "rainbow", "unicorn", "phoenix", "thunder", "lightning", "tiger",
    "lion", "wolf", "eagle", "falcon", "panther", "dolphin", "pumpkin", "peanut", "coffee",
    "whiskey", "marlboro", "london", "paris", "berlin", "newyork", "chicago", "boston",
    "california", "florida", "texas", "america", "canada", "mexico", "brazil", "india",
    "storefront", "store", "shop", "shopping", "myshop", "customer", "letmein!", "welcome!",
    "secure", "security", "private", "myspace", "facebook", "google", "youtube", "twitter",
    "instagram", "linkedin", "amazon", "netflix", "spotify", "iphone", "samsung", "android",
    "windows", "microsoft", "linux", "ubuntu", "master1", "superstar", "rockstar", "football1",
    "baseball1", "iloveyou1", "princess1", "sunshine1", "password1", "passw0rd1", "charlie1",
    "daniel1", "jordan1", "michael1", "monkey1", "dragon1", "shadow1", "soccer1", "hunter2",
]

SUFFIXES = [
    "", "1", "2", "3", "7", "9", "01", "11", "12", "13", "21", "22", "23", "69", "77", "88",
    "99", "00", "007", "100", "111", "123", "321", "666", "777", "999", "1234", "12345",
    "123456", "1234567", "12345678", "123456789", "1234567890", "!", "!!", "1!", "12!", "123!",
    "1234!", "@", "@123", "#1", "#123", "123$", "$", "?", ".", "*", "_", "_123", "123abc",
    "abc", "abc123", "qwerty", "0", "10", "101", "2000", "2k",
]

YEARS = range(1960, 2031)

# The words most often followed by a year in breach corpora; the rest get the suffixes only.
WORDS_WITH_YEARS = 40

PREFIXES = ["my", "the", "i love ", "ilove", "love", "new", "old", "super", "big", "mr", "miss"]


def wanted(candidate):
    return len(candidate) >= MIN_LENGTH and len(set(candidate)) > 1


def generate():
    found = set()
    found.update(DIGIT_RUNS)
    for walk in KEYBOARD_WALKS:
        found.add(walk)
        for suffix in ["", "1", "12", "123", "1234", "!", "123!", "!@#", "2020", "2024", "2025"]:
            found.add(walk + suffix)
        found.add(walk + walk)
    for word in WORDS:
        for suffix in SUFFIXES:
            found.add(word + suffix)
    for word in WORDS[:WORDS_WITH_YEARS]:
        for year in YEARS:
            found.add(word + str(year))
            found.add(word + str(year) + "!")
            found.add(word + "@" + str(year))
    for word in WORDS:
        found.add(word + word)
        found.add(word + " " + word)
        for prefix in PREFIXES:
            found.add(prefix + word)
            found.add(prefix + word + "1")
            found.add(prefix + word + "123")
    return sorted(c.lower() for c in found if wanted(c.lower()))


if __name__ == "__main__":
    for password in generate():
        print(password)
