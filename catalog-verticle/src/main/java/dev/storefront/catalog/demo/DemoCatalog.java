package dev.storefront.catalog.demo;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.UUID;

/**
 * A made-up but plausible catalog for demos and load tests: categories, and products with brand
 * names, descriptions full of searchable words, prices and stock. Deterministic: product {@code i}
 * depends only on {@code i} (its own random stream from a fixed seed), and its id is derived from
 * its SKU, so any run asked for {@code n} products makes the same {@code n}, and a larger catalog
 * extends a smaller one.
 */
public record DemoCatalog(List<Category> categories, List<Product> products) {

  static final long SEED = 0x5EED_CA7A_1060_0001L;
  public static final String CURRENCY = "EUR";

  /** A category and the words its products are made of. */
  public record Category(
      String slug,
      String name,
      String skuPrefix,
      long minPriceMinor,
      long maxPriceMinor,
      List<String> nouns,
      List<String> materials,
      List<String> uses) {}

  /** A product as it is inserted. */
  public record Product(
      UUID id,
      String sku,
      String name,
      String description,
      String category,
      long priceMinor,
      String currency,
      int stock) {}

  public DemoCatalog {
    categories = List.copyOf(categories);
    products = List.copyOf(products);
  }

  /** The id of the demo product with {@code sku}: the same on every machine, every run. */
  public static UUID idOf(String sku) {
    return UUID.nameUUIDFromBytes(("storefront-demo/" + sku).getBytes(StandardCharsets.UTF_8));
  }

  public static DemoCatalog generate(int productCount) {
    if (productCount < 0) {
      throw new IllegalArgumentException("productCount must not be negative");
    }
    List<Product> products = new ArrayList<>(productCount);
    for (int i = 0; i < productCount; i++) {
      products.add(product(i));
    }
    return new DemoCatalog(CATEGORIES, products);
  }

  static Product product(int index) {
    // Golden-ratio spacing gives every index a well-separated stream of its own.
    SplittableRandom random = new SplittableRandom(SEED + index * 0x9E37_79B9_7F4A_7C15L);
    Category category = CATEGORIES.get(random.nextInt(CATEGORIES.size()));
    String brand = pick(random, BRANDS);
    String adjective = pick(random, ADJECTIVES);
    String noun = pick(random, category.nouns());
    String material = pick(random, category.materials());
    String use = pick(random, category.uses());
    String quality = pick(random, QUALITIES);
    String colour = pick(random, COLOURS);
    String model = (char) ('A' + random.nextInt(26)) + "-" + (100 + random.nextInt(900));
    String name = brand + " " + adjective + " " + noun + " " + model;
    String description =
        "A "
            + adjective.toLowerCase()
            + " "
            + noun.toLowerCase()
            + " in "
            + colour
            + ", made of "
            + material
            + " and "
            + quality
            + ". Ideal for "
            + use
            + ". From "
            + brand
            + "'s "
            + category.name().toLowerCase()
            + " range.";
    String sku = category.skuPrefix() + "-" + String.format("%06d", index + 1);
    return new Product(
        idOf(sku),
        sku,
        name,
        description,
        category.slug(),
        price(random, category),
        CURRENCY,
        stock(random));
  }

  /** Log-uniform over the category's range, so cheap items are common; ends in .99 or .00. */
  private static long price(SplittableRandom random, Category category) {
    double low = Math.log(category.minPriceMinor());
    double high = Math.log(category.maxPriceMinor());
    long raw = Math.round(Math.exp(low + random.nextDouble() * (high - low)));
    long units = Math.max(1, raw / 100);
    return random.nextInt(4) == 0 ? units * 100 : units * 100 - 1;
  }

  /** One product in twenty is sold out; the rest have up to 500 units, most of them few. */
  private static int stock(SplittableRandom random) {
    if (random.nextInt(20) == 0) {
      return 0;
    }
    double r = random.nextDouble();
    return 1 + (int) (r * r * 500);
  }

  private static String pick(SplittableRandom random, List<String> words) {
    return words.get(random.nextInt(words.size()));
  }

  private static Category category(
      String slug,
      String name,
      String prefix,
      long minMinor,
      long maxMinor,
      String nouns,
      String materials,
      String uses) {
    return new Category(
        slug,
        name,
        prefix,
        minMinor,
        maxMinor,
        List.of(nouns.split(", ")),
        List.of(materials.split(", ")),
        List.of(uses.split(", ")));
  }

  static final List<String> BRANDS =
      List.of(
          "Northwind",
          "Halvorsen",
          "Bluefjord",
          "Ashdown",
          "Corvallis",
          "Meridian",
          "Tallinna",
          "Oakridge",
          "Pemberton",
          "Solano",
          "Kestrel",
          "Lindqvist",
          "Marlowe",
          "Brightwater",
          "Fenwick",
          "Aurora",
          "Granite Peak",
          "Velora",
          "Thornbury",
          "Riverstone",
          "Calloway",
          "Nordhavn",
          "Sable & Finch",
          "Quillon",
          "Westmark");

  static final List<String> ADJECTIVES =
      List.of(
          "Compact",
          "Classic",
          "Deluxe",
          "Essential",
          "Premium",
          "Lightweight",
          "Heavy-Duty",
          "Portable",
          "Ergonomic",
          "Vintage",
          "Modern",
          "Rugged",
          "Slim",
          "Smart",
          "Foldable",
          "Professional",
          "Eco",
          "Cordless",
          "Wireless",
          "Adjustable",
          "Stackable",
          "Waterproof",
          "Insulated",
          "Quiet",
          "Everyday",
          "Travel",
          "Family",
          "Mini",
          "Grand",
          "Ultra");

  static final List<String> QUALITIES =
      List.of(
          "built to last",
          "easy to clean",
          "backed by a two-year warranty",
          "tested for everyday use",
          "designed in Scandinavia",
          "sustainably sourced",
          "hand-finished",
          "dishwasher safe",
          "assembled in minutes",
          "energy efficient",
          "rated five stars by reviewers",
          "gentle on the environment");

  static final List<String> COLOURS =
      List.of(
          "graphite",
          "arctic white",
          "forest green",
          "ocean blue",
          "sand",
          "charcoal",
          "burgundy",
          "mustard yellow",
          "slate grey",
          "terracotta",
          "midnight black",
          "sage");

  static final List<Category> CATEGORIES =
      List.of(
          category(
              "books",
              "Books",
              "BOK",
              499,
              8_999,
              "Novel, Cookbook, Atlas, Biography, Field Guide, Poetry Collection, Notebook, Comic",
              "recycled paper, cloth binding, hardcover board, linen paper",
              "long train journeys, quiet evenings, curious children, book clubs, gifts"),
          category(
              "electronics",
              "Electronics",
              "ELE",
              1_499,
              149_999,
              "Headphones, Speaker, Charger, Power Bank, Webcam, Monitor, Keyboard, Smartwatch",
              "aluminium, recycled plastic, tempered glass, silicone",
              "home offices, gaming, video calls, commuting, streaming music"),
          category(
              "kitchen",
              "Kitchen",
              "KIT",
              599,
              49_999,
              "Kettle, Chef's Knife, Frying Pan, Espresso Machine, Blender, Cutting Board,"
                  + " Toaster, Saucepan",
              "stainless steel, cast iron, bamboo, borosilicate glass, ceramic",
              "weekend brunches, busy weeknights, baking, meal prep, small apartments"),
          category(
              "garden",
              "Garden",
              "GAR",
              399,
              39_999,
              "Hose, Pruning Shears, Planter, Wheelbarrow, Bird Feeder, Rake, Watering Can,"
                  + " Seed Kit",
              "galvanised steel, terracotta, weatherproof resin, cedar wood",
              "balconies, vegetable patches, allotments, herb gardens, lawns"),
          category(
              "toys",
              "Toys",
              "TOY",
              299,
              14_999,
              "Building Blocks, Puzzle, Plush Bear, Train Set, Kite, Board Game, Doll House,"
                  + " Rocking Horse",
              "beech wood, organic cotton, non-toxic plastic, felt",
              "toddlers, rainy afternoons, family game nights, creative play"),
          category(
              "sports",
              "Sports",
              "SPO",
              499,
              59_999,
              "Yoga Mat, Dumbbell Set, Football, Tennis Racket, Skipping Rope, Water Bottle,"
                  + " Resistance Band, Bicycle Helmet",
              "natural rubber, carbon fibre, neoprene, recycled polyester",
              "home workouts, the gym, team training, marathon preparation"),
          category(
              "outdoor",
              "Outdoor",
              "OUT",
              999,
              69_999,
              "Tent, Sleeping Bag, Backpack, Headlamp, Camping Stove, Hammock, Trekking Poles,"
                  + " Cooler Box",
              "ripstop nylon, down insulation, titanium, waxed canvas",
              "hiking, camping, festivals, mountain trips, fishing weekends"),
          category(
              "clothing",
              "Clothing",
              "CLO",
              999,
              29_999,
              "Jacket, Hoodie, T-Shirt, Jeans, Raincoat, Sweater, Scarf, Chinos",
              "organic cotton, merino wool, linen, recycled denim",
              "cold mornings, the office, city walks, layering, summer holidays"),
          category(
              "shoes",
              "Shoes",
              "SHO",
              2_499,
              24_999,
              "Running Shoes, Sneakers, Hiking Boots, Sandals, Loafers, Slippers, Rain Boots,"
                  + " Trail Runners",
              "full-grain leather, breathable mesh, natural rubber, suede",
              "long runs, muddy trails, everyday wear, the beach"),
          category(
              "beauty",
              "Beauty",
              "BEA",
              399,
              9_999,
              "Face Cream, Shampoo, Lip Balm, Perfume, Hand Soap, Body Lotion, Hair Brush,"
                  + " Sunscreen",
              "aloe vera, shea butter, argan oil, natural botanicals",
              "sensitive skin, daily routines, dry winters, sunny days"),
          category(
              "health",
              "Health",
              "HEA",
              299,
              19_999,
              "Thermometer, First Aid Kit, Massage Gun, Vitamin Pack, Heat Pad, Scale, Pill"
                  + " Organiser, Posture Corrector",
              "medical-grade silicone, BPA-free plastic, memory foam",
              "recovery, travel, family medicine cabinets, wellbeing"),
          category(
              "grocery",
              "Grocery",
              "GRO",
              149,
              2_999,
              "Coffee Beans, Green Tea, Olive Oil, Dark Chocolate, Pasta, Honey, Granola,"
                  + " Spice Mix",
              "fair-trade ingredients, organic produce, cold-pressed olives",
              "breakfasts, picnics, gift baskets, slow Sunday cooking"),
          category(
              "pet-supplies",
              "Pet Supplies",
              "PET",
              299,
              19_999,
              "Dog Bed, Cat Tree, Leash, Chew Toy, Food Bowl, Litter Box, Pet Carrier,"
                  + " Grooming Brush",
              "durable canvas, natural rubber, stainless steel, plush fleece",
              "puppies, indoor cats, long walks, vet visits"),
          category(
              "office",
              "Office",
              "OFF",
              199,
              39_999,
              "Desk Lamp, Office Chair, Stapler, Fountain Pen, Monitor Stand, Planner, Desk"
                  + " Organiser, Whiteboard",
              "walnut veneer, powder-coated steel, recycled cardboard, brass",
              "home offices, students, meetings, focused work"),
          category(
              "music",
              "Music",
              "MUS",
              999,
              99_999,
              "Acoustic Guitar, Ukulele, Keyboard Piano, Drum Pad, Microphone, Violin,"
                  + " Harmonica, Guitar Strings",
              "solid spruce, rosewood, nickel-plated steel, maple",
              "beginners, practice sessions, live gigs, recording at home"),
          category(
              "movies",
              "Movies",
              "MOV",
              499,
              4_999,
              "Blu-ray Box Set, Documentary, Classic Film, Animated Feature, Film Poster,"
                  + " Soundtrack Vinyl",
              "collector's packaging, remastered audio, heavyweight vinyl",
              "movie nights, collectors, film students, cosy weekends"),
          category(
              "video-games",
              "Video Games",
              "VGA",
              999,
              59_999,
              "Controller, Racing Game, Puzzle Game, Gaming Headset, Console Stand, Adventure"
                  + " Game, Charging Dock",
              "matte plastic, braided cable, memory foam cushions",
              "co-op play, speedruns, long gaming sessions, family fun"),
          category(
              "tools",
              "Tools",
              "TOO",
              499,
              49_999,
              "Cordless Drill, Screwdriver Set, Hammer, Tape Measure, Spirit Level, Socket"
                  + " Set, Workbench, Saw",
              "chrome vanadium steel, fibreglass, hardened steel, rubber grip",
              "DIY projects, renovations, workshops, quick repairs"),
          category(
              "automotive",
              "Automotive",
              "AUT",
              599,
              29_999,
              "Dash Cam, Car Vacuum, Jump Starter, Seat Cover, Phone Mount, Tyre Inflator,"
                  + " Roof Box, Floor Mats",
              "heavy-duty rubber, ABS plastic, microfibre",
              "road trips, daily commutes, winter driving, car care"),
          category(
              "baby",
              "Baby",
              "BAB",
              499,
              49_999,
              "Stroller, Baby Monitor, Crib Mobile, Bottle Set, Swaddle Blanket, High Chair,"
                  + " Changing Mat, Teether",
              "organic cotton, food-grade silicone, beech wood, muslin",
              "newborns, night feeds, first steps, nursery decor"),
          category(
              "jewelry",
              "Jewellery",
              "JEW",
              1_999,
              199_999,
              "Necklace, Ring, Bracelet, Earrings, Pendant, Watch, Cufflinks, Brooch",
              "sterling silver, 18k gold plate, freshwater pearl, rose gold",
              "anniversaries, weddings, birthdays, everyday elegance"),
          category(
              "furniture",
              "Furniture",
              "FUR",
              2_999,
              199_999,
              "Sofa, Bookshelf, Coffee Table, Armchair, Bed Frame, Dining Chair, Wardrobe,"
                  + " Side Table",
              "solid oak, upholstered velvet, rattan, powder-coated steel",
              "living rooms, small apartments, reading corners, guest rooms"),
          category(
              "lighting",
              "Lighting",
              "LIG",
              999,
              39_999,
              "Floor Lamp, Pendant Light, LED Strip, Table Lamp, String Lights, Wall Sconce,"
                  + " Night Light",
              "brushed brass, frosted glass, linen shade, aluminium",
              "cosy evenings, reading, gardens, bedrooms"),
          category(
              "travel",
              "Travel",
              "TRA",
              999,
              49_999,
              "Suitcase, Travel Pillow, Packing Cubes, Passport Wallet, Duffel Bag, Luggage"
                  + " Scale, Adapter Plug",
              "polycarbonate shell, ballistic nylon, vegan leather",
              "city breaks, business trips, long-haul flights, backpacking"));
}
