var stats = {
    type: "GROUP",
name: "All Requests",
path: "",
pathFormatted: "group_missing-name--1146707516",
stats: {
    "name": "All Requests",
    "numberOfRequests": {
        "total": "955",
        "ok": "955",
        "ko": "0"
    },
    "minResponseTime": {
        "total": "7",
        "ok": "7",
        "ko": "-"
    },
    "maxResponseTime": {
        "total": "8799",
        "ok": "8799",
        "ko": "-"
    },
    "meanResponseTime": {
        "total": "1228",
        "ok": "1228",
        "ko": "-"
    },
    "standardDeviation": {
        "total": "1173",
        "ok": "1173",
        "ko": "-"
    },
    "percentiles1": {
        "total": "850",
        "ok": "850",
        "ko": "-"
    },
    "percentiles2": {
        "total": "1590",
        "ok": "1590",
        "ko": "-"
    },
    "percentiles3": {
        "total": "3656",
        "ok": "3656",
        "ko": "-"
    },
    "percentiles4": {
        "total": "5697",
        "ok": "5697",
        "ko": "-"
    },
    "group1": {
    "name": "t < 800 ms",
    "htmlName": "t < 800 ms",
    "count": 449,
    "percentage": 47.01570680628272
},
    "group2": {
    "name": "800 ms <= t < 1200 ms",
    "htmlName": "t >= 800 ms <br> t < 1200 ms",
    "count": 146,
    "percentage": 15.287958115183246
},
    "group3": {
    "name": "t >= 1200 ms",
    "htmlName": "t >= 1200 ms",
    "count": 360,
    "percentage": 37.696335078534034
},
    "group4": {
    "name": "failed",
    "htmlName": "failed",
    "count": 0,
    "percentage": 0.0
},
    "meanNumberOfRequestsPerSecond": {
        "total": "28.09",
        "ok": "28.09",
        "ko": "-"
    }
},
contents: {
"group_auth-3005864": {
          type: "GROUP",
name: "auth",
path: "auth",
pathFormatted: "group_auth-3005864",
stats: {
    "name": "auth",
    "numberOfRequests": {
        "total": "93",
        "ok": "93",
        "ko": "0"
    },
    "minResponseTime": {
        "total": "419",
        "ok": "419",
        "ko": "-"
    },
    "maxResponseTime": {
        "total": "8799",
        "ok": "8799",
        "ko": "-"
    },
    "meanResponseTime": {
        "total": "3153",
        "ok": "3153",
        "ko": "-"
    },
    "standardDeviation": {
        "total": "1850",
        "ok": "1850",
        "ko": "-"
    },
    "percentiles1": {
        "total": "3022",
        "ok": "3022",
        "ko": "-"
    },
    "percentiles2": {
        "total": "4249",
        "ok": "4249",
        "ko": "-"
    },
    "percentiles3": {
        "total": "6470",
        "ok": "6470",
        "ko": "-"
    },
    "percentiles4": {
        "total": "8799",
        "ok": "8799",
        "ko": "-"
    },
    "group1": {
    "name": "t < 800 ms",
    "htmlName": "t < 800 ms",
    "count": 10,
    "percentage": 10.75268817204301
},
    "group2": {
    "name": "800 ms <= t < 1200 ms",
    "htmlName": "t >= 800 ms <br> t < 1200 ms",
    "count": 4,
    "percentage": 4.301075268817205
},
    "group3": {
    "name": "t >= 1200 ms",
    "htmlName": "t >= 1200 ms",
    "count": 79,
    "percentage": 84.94623655913979
},
    "group4": {
    "name": "failed",
    "htmlName": "failed",
    "count": 0,
    "percentage": 0.0
},
    "meanNumberOfRequestsPerSecond": {
        "total": "2.74",
        "ok": "2.74",
        "ko": "-"
    }
},
contents: {
"req_sign-up-2088203230": {
        type: "REQUEST",
        name: "sign up",
path: "auth / sign up",
pathFormatted: "req_auth---sign-up--894533515",
stats: {
    "name": "sign up",
    "numberOfRequests": {
        "total": "46",
        "ok": "46",
        "ko": "0"
    },
    "minResponseTime": {
        "total": "451",
        "ok": "451",
        "ko": "-"
    },
    "maxResponseTime": {
        "total": "8799",
        "ok": "8799",
        "ko": "-"
    },
    "meanResponseTime": {
        "total": "3667",
        "ok": "3667",
        "ko": "-"
    },
    "standardDeviation": {
        "total": "2114",
        "ok": "2114",
        "ko": "-"
    },
    "percentiles1": {
        "total": "4050",
        "ok": "4050",
        "ko": "-"
    },
    "percentiles2": {
        "total": "4982",
        "ok": "4982",
        "ko": "-"
    },
    "percentiles3": {
        "total": "7856",
        "ok": "7856",
        "ko": "-"
    },
    "percentiles4": {
        "total": "8799",
        "ok": "8799",
        "ko": "-"
    },
    "group1": {
    "name": "t < 800 ms",
    "htmlName": "t < 800 ms",
    "count": 5,
    "percentage": 10.869565217391305
},
    "group2": {
    "name": "800 ms <= t < 1200 ms",
    "htmlName": "t >= 800 ms <br> t < 1200 ms",
    "count": 2,
    "percentage": 4.3478260869565215
},
    "group3": {
    "name": "t >= 1200 ms",
    "htmlName": "t >= 1200 ms",
    "count": 39,
    "percentage": 84.78260869565217
},
    "group4": {
    "name": "failed",
    "htmlName": "failed",
    "count": 0,
    "percentage": 0.0
},
    "meanNumberOfRequestsPerSecond": {
        "total": "1.35",
        "ok": "1.35",
        "ko": "-"
    }
}
    },"req_sign-in-2088202856": {
        type: "REQUEST",
        name: "sign in",
path: "auth / sign in",
pathFormatted: "req_auth---sign-in--894533889",
stats: {
    "name": "sign in",
    "numberOfRequests": {
        "total": "47",
        "ok": "47",
        "ko": "0"
    },
    "minResponseTime": {
        "total": "328",
        "ok": "328",
        "ko": "-"
    },
    "maxResponseTime": {
        "total": "6619",
        "ok": "6619",
        "ko": "-"
    },
    "meanResponseTime": {
        "total": "2641",
        "ok": "2641",
        "ko": "-"
    },
    "standardDeviation": {
        "total": "1378",
        "ok": "1378",
        "ko": "-"
    },
    "percentiles1": {
        "total": "2476",
        "ok": "2476",
        "ko": "-"
    },
    "percentiles2": {
        "total": "3528",
        "ok": "3528",
        "ko": "-"
    },
    "percentiles3": {
        "total": "5141",
        "ok": "5141",
        "ko": "-"
    },
    "percentiles4": {
        "total": "6619",
        "ok": "6619",
        "ko": "-"
    },
    "group1": {
    "name": "t < 800 ms",
    "htmlName": "t < 800 ms",
    "count": 5,
    "percentage": 10.638297872340425
},
    "group2": {
    "name": "800 ms <= t < 1200 ms",
    "htmlName": "t >= 800 ms <br> t < 1200 ms",
    "count": 2,
    "percentage": 4.25531914893617
},
    "group3": {
    "name": "t >= 1200 ms",
    "htmlName": "t >= 1200 ms",
    "count": 40,
    "percentage": 85.1063829787234
},
    "group4": {
    "name": "failed",
    "htmlName": "failed",
    "count": 0,
    "percentage": 0.0
},
    "meanNumberOfRequestsPerSecond": {
        "total": "1.38",
        "ok": "1.38",
        "ko": "-"
    }
}
    }
}

     },"group_catalog-555704345": {
          type: "GROUP",
name: "catalog",
path: "catalog",
pathFormatted: "group_catalog-555704345",
stats: {
    "name": "catalog",
    "numberOfRequests": {
        "total": "673",
        "ok": "673",
        "ko": "0"
    },
    "minResponseTime": {
        "total": "8",
        "ok": "8",
        "ko": "-"
    },
    "maxResponseTime": {
        "total": "4792",
        "ok": "4792",
        "ko": "-"
    },
    "meanResponseTime": {
        "total": "1032",
        "ok": "1032",
        "ko": "-"
    },
    "standardDeviation": {
        "total": "814",
        "ok": "814",
        "ko": "-"
    },
    "percentiles1": {
        "total": "802",
        "ok": "802",
        "ko": "-"
    },
    "percentiles2": {
        "total": "1391",
        "ok": "1391",
        "ko": "-"
    },
    "percentiles3": {
        "total": "2827",
        "ok": "2827",
        "ko": "-"
    },
    "percentiles4": {
        "total": "3684",
        "ok": "3684",
        "ko": "-"
    },
    "group1": {
    "name": "t < 800 ms",
    "htmlName": "t < 800 ms",
    "count": 333,
    "percentage": 49.47994056463596
},
    "group2": {
    "name": "800 ms <= t < 1200 ms",
    "htmlName": "t >= 800 ms <br> t < 1200 ms",
    "count": 130,
    "percentage": 19.316493313521548
},
    "group3": {
    "name": "t >= 1200 ms",
    "htmlName": "t >= 1200 ms",
    "count": 210,
    "percentage": 31.203566121842496
},
    "group4": {
    "name": "failed",
    "htmlName": "failed",
    "count": 0,
    "percentage": 0.0
},
    "meanNumberOfRequestsPerSecond": {
        "total": "19.79",
        "ok": "19.79",
        "ko": "-"
    }
},
contents: {
"req_home-page-2059899184": {
        type: "REQUEST",
        name: "home page",
path: "catalog / home page",
pathFormatted: "req_catalog---home--671233272",
stats: {
    "name": "home page",
    "numberOfRequests": {
        "total": "96",
        "ok": "96",
        "ko": "0"
    },
    "minResponseTime": {
        "total": "33",
        "ok": "33",
        "ko": "-"
    },
    "maxResponseTime": {
        "total": "4788",
        "ok": "4788",
        "ko": "-"
    },
    "meanResponseTime": {
        "total": "1612",
        "ok": "1612",
        "ko": "-"
    },
    "standardDeviation": {
        "total": "1176",
        "ok": "1176",
        "ko": "-"
    },
    "percentiles1": {
        "total": "1554",
        "ok": "1554",
        "ko": "-"
    },
    "percentiles2": {
        "total": "2260",
        "ok": "2260",
        "ko": "-"
    },
    "percentiles3": {
        "total": "3786",
        "ok": "3786",
        "ko": "-"
    },
    "percentiles4": {
        "total": "4788",
        "ok": "4788",
        "ko": "-"
    },
    "group1": {
    "name": "t < 800 ms",
    "htmlName": "t < 800 ms",
    "count": 31,
    "percentage": 32.29166666666667
},
    "group2": {
    "name": "800 ms <= t < 1200 ms",
    "htmlName": "t >= 800 ms <br> t < 1200 ms",
    "count": 8,
    "percentage": 8.333333333333332
},
    "group3": {
    "name": "t >= 1200 ms",
    "htmlName": "t >= 1200 ms",
    "count": 57,
    "percentage": 59.375
},
    "group4": {
    "name": "failed",
    "htmlName": "failed",
    "count": 0,
    "percentage": 0.0
},
    "meanNumberOfRequestsPerSecond": {
        "total": "2.82",
        "ok": "2.82",
        "ko": "-"
    }
}
    },"req_search--906336856": {
        type: "REQUEST",
        name: "search",
path: "catalog / search",
pathFormatted: "req_catalog---searc-419403488",
stats: {
    "name": "search",
    "numberOfRequests": {
        "total": "96",
        "ok": "96",
        "ko": "0"
    },
    "minResponseTime": {
        "total": "81",
        "ok": "81",
        "ko": "-"
    },
    "maxResponseTime": {
        "total": "3394",
        "ok": "3394",
        "ko": "-"
    },
    "meanResponseTime": {
        "total": "988",
        "ok": "988",
        "ko": "-"
    },
    "standardDeviation": {
        "total": "677",
        "ok": "677",
        "ko": "-"
    },
    "percentiles1": {
        "total": "804",
        "ok": "804",
        "ko": "-"
    },
    "percentiles2": {
        "total": "1350",
        "ok": "1350",
        "ko": "-"
    },
    "percentiles3": {
        "total": "2618",
        "ok": "2618",
        "ko": "-"
    },
    "percentiles4": {
        "total": "3394",
        "ok": "3394",
        "ko": "-"
    },
    "group1": {
    "name": "t < 800 ms",
    "htmlName": "t < 800 ms",
    "count": 47,
    "percentage": 48.95833333333333
},
    "group2": {
    "name": "800 ms <= t < 1200 ms",
    "htmlName": "t >= 800 ms <br> t < 1200 ms",
    "count": 21,
    "percentage": 21.875
},
    "group3": {
    "name": "t >= 1200 ms",
    "htmlName": "t >= 1200 ms",
    "count": 28,
    "percentage": 29.166666666666668
},
    "group4": {
    "name": "failed",
    "htmlName": "failed",
    "count": 0,
    "percentage": 0.0
},
    "meanNumberOfRequestsPerSecond": {
        "total": "2.82",
        "ok": "2.82",
        "ko": "-"
    }
}
    },"req_category-page-280560753": {
        type: "REQUEST",
        name: "category page",
path: "catalog / category page",
pathFormatted: "req_catalog---categ--1796438983",
stats: {
    "name": "category page",
    "numberOfRequests": {
        "total": "96",
        "ok": "96",
        "ko": "0"
    },
    "minResponseTime": {
        "total": "88",
        "ok": "88",
        "ko": "-"
    },
    "maxResponseTime": {
        "total": "3662",
        "ok": "3662",
        "ko": "-"
    },
    "meanResponseTime": {
        "total": "1150",
        "ok": "1150",
        "ko": "-"
    },
    "standardDeviation": {
        "total": "887",
        "ok": "887",
        "ko": "-"
    },
    "percentiles1": {
        "total": "834",
        "ok": "834",
        "ko": "-"
    },
    "percentiles2": {
        "total": "1457",
        "ok": "1457",
        "ko": "-"
    },
    "percentiles3": {
        "total": "3405",
        "ok": "3405",
        "ko": "-"
    },
    "percentiles4": {
        "total": "3662",
        "ok": "3662",
        "ko": "-"
    },
    "group1": {
    "name": "t < 800 ms",
    "htmlName": "t < 800 ms",
    "count": 44,
    "percentage": 45.83333333333333
},
    "group2": {
    "name": "800 ms <= t < 1200 ms",
    "htmlName": "t >= 800 ms <br> t < 1200 ms",
    "count": 20,
    "percentage": 20.833333333333336
},
    "group3": {
    "name": "t >= 1200 ms",
    "htmlName": "t >= 1200 ms",
    "count": 32,
    "percentage": 33.33333333333333
},
    "group4": {
    "name": "failed",
    "htmlName": "failed",
    "count": 0,
    "percentage": 0.0
},
    "meanNumberOfRequestsPerSecond": {
        "total": "2.82",
        "ok": "2.82",
        "ko": "-"
    }
}
    },"req_product-page-956252960": {
        type: "REQUEST",
        name: "product page",
path: "catalog / product page",
pathFormatted: "req_catalog---produ-335063640",
stats: {
    "name": "product page",
    "numberOfRequests": {
        "total": "289",
        "ok": "289",
        "ko": "0"
    },
    "minResponseTime": {
        "total": "7",
        "ok": "7",
        "ko": "-"
    },
    "maxResponseTime": {
        "total": "3470",
        "ok": "3470",
        "ko": "-"
    },
    "meanResponseTime": {
        "total": "890",
        "ok": "890",
        "ko": "-"
    },
    "standardDeviation": {
        "total": "635",
        "ok": "635",
        "ko": "-"
    },
    "percentiles1": {
        "total": "728",
        "ok": "728",
        "ko": "-"
    },
    "percentiles2": {
        "total": "1184",
        "ok": "1184",
        "ko": "-"
    },
    "percentiles3": {
        "total": "2162",
        "ok": "2162",
        "ko": "-"
    },
    "percentiles4": {
        "total": "3096",
        "ok": "3096",
        "ko": "-"
    },
    "group1": {
    "name": "t < 800 ms",
    "htmlName": "t < 800 ms",
    "count": 161,
    "percentage": 55.70934256055363
},
    "group2": {
    "name": "800 ms <= t < 1200 ms",
    "htmlName": "t >= 800 ms <br> t < 1200 ms",
    "count": 56,
    "percentage": 19.377162629757784
},
    "group3": {
    "name": "t >= 1200 ms",
    "htmlName": "t >= 1200 ms",
    "count": 72,
    "percentage": 24.91349480968858
},
    "group4": {
    "name": "failed",
    "htmlName": "failed",
    "count": 0,
    "percentage": 0.0
},
    "meanNumberOfRequestsPerSecond": {
        "total": "8.5",
        "ok": "8.5",
        "ko": "-"
    }
}
    },"req_product-page-ag-1479193184": {
        type: "REQUEST",
        name: "product page again",
path: "catalog / product page again",
pathFormatted: "req_catalog---produ--2003316840",
stats: {
    "name": "product page again",
    "numberOfRequests": {
        "total": "96",
        "ok": "96",
        "ko": "0"
    },
    "minResponseTime": {
        "total": "9",
        "ok": "9",
        "ko": "-"
    },
    "maxResponseTime": {
        "total": "2965",
        "ok": "2965",
        "ko": "-"
    },
    "meanResponseTime": {
        "total": "784",
        "ok": "784",
        "ko": "-"
    },
    "standardDeviation": {
        "total": "576",
        "ok": "576",
        "ko": "-"
    },
    "percentiles1": {
        "total": "707",
        "ok": "707",
        "ko": "-"
    },
    "percentiles2": {
        "total": "1143",
        "ok": "1143",
        "ko": "-"
    },
    "percentiles3": {
        "total": "1793",
        "ok": "1793",
        "ko": "-"
    },
    "percentiles4": {
        "total": "2965",
        "ok": "2965",
        "ko": "-"
    },
    "group1": {
    "name": "t < 800 ms",
    "htmlName": "t < 800 ms",
    "count": 53,
    "percentage": 55.208333333333336
},
    "group2": {
    "name": "800 ms <= t < 1200 ms",
    "htmlName": "t >= 800 ms <br> t < 1200 ms",
    "count": 22,
    "percentage": 22.916666666666664
},
    "group3": {
    "name": "t >= 1200 ms",
    "htmlName": "t >= 1200 ms",
    "count": 21,
    "percentage": 21.875
},
    "group4": {
    "name": "failed",
    "htmlName": "failed",
    "count": 0,
    "percentage": 0.0
},
    "meanNumberOfRequestsPerSecond": {
        "total": "2.82",
        "ok": "2.82",
        "ko": "-"
    }
}
    }
}

     },"group_notifications-1272354024": {
          type: "GROUP",
name: "notifications",
path: "notifications",
pathFormatted: "group_notifications-1272354024",
stats: {
    "name": "notifications",
    "numberOfRequests": {
        "total": "47",
        "ok": "47",
        "ko": "0"
    },
    "minResponseTime": {
        "total": "31",
        "ok": "31",
        "ko": "-"
    },
    "maxResponseTime": {
        "total": "4148",
        "ok": "4148",
        "ko": "-"
    },
    "meanResponseTime": {
        "total": "996",
        "ok": "996",
        "ko": "-"
    },
    "standardDeviation": {
        "total": "1056",
        "ok": "1056",
        "ko": "-"
    },
    "percentiles1": {
        "total": "524",
        "ok": "524",
        "ko": "-"
    },
    "percentiles2": {
        "total": "1609",
        "ok": "1609",
        "ko": "-"
    },
    "percentiles3": {
        "total": "2549",
        "ok": "2549",
        "ko": "-"
    },
    "percentiles4": {
        "total": "4148",
        "ok": "4148",
        "ko": "-"
    },
    "group1": {
    "name": "t < 800 ms",
    "htmlName": "t < 800 ms",
    "count": 29,
    "percentage": 61.702127659574465
},
    "group2": {
    "name": "800 ms <= t < 1200 ms",
    "htmlName": "t >= 800 ms <br> t < 1200 ms",
    "count": 0,
    "percentage": 0.0
},
    "group3": {
    "name": "t >= 1200 ms",
    "htmlName": "t >= 1200 ms",
    "count": 18,
    "percentage": 38.297872340425535
},
    "group4": {
    "name": "failed",
    "htmlName": "failed",
    "count": 0,
    "percentage": 0.0
},
    "meanNumberOfRequestsPerSecond": {
        "total": "1.38",
        "ok": "1.38",
        "ko": "-"
    }
},
contents: {
"req_feed-3138974": {
        type: "REQUEST",
        name: "feed",
path: "notifications / feed",
pathFormatted: "req_notifications---408525095",
stats: {
    "name": "feed",
    "numberOfRequests": {
        "total": "47",
        "ok": "47",
        "ko": "0"
    },
    "minResponseTime": {
        "total": "31",
        "ok": "31",
        "ko": "-"
    },
    "maxResponseTime": {
        "total": "4143",
        "ok": "4143",
        "ko": "-"
    },
    "meanResponseTime": {
        "total": "993",
        "ok": "993",
        "ko": "-"
    },
    "standardDeviation": {
        "total": "1055",
        "ok": "1055",
        "ko": "-"
    },
    "percentiles1": {
        "total": "523",
        "ok": "523",
        "ko": "-"
    },
    "percentiles2": {
        "total": "1608",
        "ok": "1608",
        "ko": "-"
    },
    "percentiles3": {
        "total": "2547",
        "ok": "2547",
        "ko": "-"
    },
    "percentiles4": {
        "total": "4143",
        "ok": "4143",
        "ko": "-"
    },
    "group1": {
    "name": "t < 800 ms",
    "htmlName": "t < 800 ms",
    "count": 29,
    "percentage": 61.702127659574465
},
    "group2": {
    "name": "800 ms <= t < 1200 ms",
    "htmlName": "t >= 800 ms <br> t < 1200 ms",
    "count": 0,
    "percentage": 0.0
},
    "group3": {
    "name": "t >= 1200 ms",
    "htmlName": "t >= 1200 ms",
    "count": 18,
    "percentage": 38.297872340425535
},
    "group4": {
    "name": "failed",
    "htmlName": "failed",
    "count": 0,
    "percentage": 0.0
},
    "meanNumberOfRequestsPerSecond": {
        "total": "1.38",
        "ok": "1.38",
        "ko": "-"
    }
}
    }
}

     },"group_cart-3046176": {
          type: "GROUP",
name: "cart",
path: "cart",
pathFormatted: "group_cart-3046176",
stats: {
    "name": "cart",
    "numberOfRequests": {
        "total": "75",
        "ok": "75",
        "ko": "0"
    },
    "minResponseTime": {
        "total": "24",
        "ok": "24",
        "ko": "-"
    },
    "maxResponseTime": {
        "total": "4162",
        "ok": "4162",
        "ko": "-"
    },
    "meanResponseTime": {
        "total": "1112",
        "ok": "1112",
        "ko": "-"
    },
    "standardDeviation": {
        "total": "1019",
        "ok": "1019",
        "ko": "-"
    },
    "percentiles1": {
        "total": "979",
        "ok": "979",
        "ko": "-"
    },
    "percentiles2": {
        "total": "1468",
        "ok": "1468",
        "ko": "-"
    },
    "percentiles3": {
        "total": "2923",
        "ok": "2923",
        "ko": "-"
    },
    "percentiles4": {
        "total": "4162",
        "ok": "4162",
        "ko": "-"
    },
    "group1": {
    "name": "t < 800 ms",
    "htmlName": "t < 800 ms",
    "count": 33,
    "percentage": 44.0
},
    "group2": {
    "name": "800 ms <= t < 1200 ms",
    "htmlName": "t >= 800 ms <br> t < 1200 ms",
    "count": 10,
    "percentage": 13.333333333333334
},
    "group3": {
    "name": "t >= 1200 ms",
    "htmlName": "t >= 1200 ms",
    "count": 32,
    "percentage": 42.66666666666667
},
    "group4": {
    "name": "failed",
    "htmlName": "failed",
    "count": 0,
    "percentage": 0.0
},
    "meanNumberOfRequestsPerSecond": {
        "total": "2.21",
        "ok": "2.21",
        "ko": "-"
    }
},
contents: {
"req_add-to-cart-1978078502": {
        type: "REQUEST",
        name: "add to cart",
path: "cart / add to cart",
pathFormatted: "req_cart---add-to-c-822847925",
stats: {
    "name": "add to cart",
    "numberOfRequests": {
        "total": "50",
        "ok": "50",
        "ko": "0"
    },
    "minResponseTime": {
        "total": "27",
        "ok": "27",
        "ko": "-"
    },
    "maxResponseTime": {
        "total": "4152",
        "ok": "4152",
        "ko": "-"
    },
    "meanResponseTime": {
        "total": "1321",
        "ok": "1321",
        "ko": "-"
    },
    "standardDeviation": {
        "total": "1107",
        "ok": "1107",
        "ko": "-"
    },
    "percentiles1": {
        "total": "1275",
        "ok": "1275",
        "ko": "-"
    },
    "percentiles2": {
        "total": "2056",
        "ok": "2056",
        "ko": "-"
    },
    "percentiles3": {
        "total": "4131",
        "ok": "4131",
        "ko": "-"
    },
    "percentiles4": {
        "total": "4152",
        "ok": "4152",
        "ko": "-"
    },
    "group1": {
    "name": "t < 800 ms",
    "htmlName": "t < 800 ms",
    "count": 18,
    "percentage": 36.0
},
    "group2": {
    "name": "800 ms <= t < 1200 ms",
    "htmlName": "t >= 800 ms <br> t < 1200 ms",
    "count": 7,
    "percentage": 14.000000000000002
},
    "group3": {
    "name": "t >= 1200 ms",
    "htmlName": "t >= 1200 ms",
    "count": 25,
    "percentage": 50.0
},
    "group4": {
    "name": "failed",
    "htmlName": "failed",
    "count": 0,
    "percentage": 0.0
},
    "meanNumberOfRequestsPerSecond": {
        "total": "1.47",
        "ok": "1.47",
        "ko": "-"
    }
}
    },"req_view-cart--1631711301": {
        type: "REQUEST",
        name: "view cart",
path: "cart / view cart",
pathFormatted: "req_cart---view-car-1674345482",
stats: {
    "name": "view cart",
    "numberOfRequests": {
        "total": "25",
        "ok": "25",
        "ko": "0"
    },
    "minResponseTime": {
        "total": "24",
        "ok": "24",
        "ko": "-"
    },
    "maxResponseTime": {
        "total": "2136",
        "ok": "2136",
        "ko": "-"
    },
    "meanResponseTime": {
        "total": "684",
        "ok": "684",
        "ko": "-"
    },
    "standardDeviation": {
        "total": "618",
        "ok": "618",
        "ko": "-"
    },
    "percentiles1": {
        "total": "667",
        "ok": "667",
        "ko": "-"
    },
    "percentiles2": {
        "total": "1293",
        "ok": "1293",
        "ko": "-"
    },
    "percentiles3": {
        "total": "1582",
        "ok": "1582",
        "ko": "-"
    },
    "percentiles4": {
        "total": "2136",
        "ok": "2136",
        "ko": "-"
    },
    "group1": {
    "name": "t < 800 ms",
    "htmlName": "t < 800 ms",
    "count": 15,
    "percentage": 60.0
},
    "group2": {
    "name": "800 ms <= t < 1200 ms",
    "htmlName": "t >= 800 ms <br> t < 1200 ms",
    "count": 3,
    "percentage": 12.0
},
    "group3": {
    "name": "t >= 1200 ms",
    "htmlName": "t >= 1200 ms",
    "count": 7,
    "percentage": 28.000000000000004
},
    "group4": {
    "name": "failed",
    "htmlName": "failed",
    "count": 0,
    "percentage": 0.0
},
    "meanNumberOfRequestsPerSecond": {
        "total": "0.74",
        "ok": "0.74",
        "ko": "-"
    }
}
    }
}

     },"group_checkout-1536904518": {
          type: "GROUP",
name: "checkout",
path: "checkout",
pathFormatted: "group_checkout-1536904518",
stats: {
    "name": "checkout",
    "numberOfRequests": {
        "total": "25",
        "ok": "25",
        "ko": "0"
    },
    "minResponseTime": {
        "total": "297",
        "ok": "297",
        "ko": "-"
    },
    "maxResponseTime": {
        "total": "3773",
        "ok": "3773",
        "ko": "-"
    },
    "meanResponseTime": {
        "total": "1461",
        "ok": "1461",
        "ko": "-"
    },
    "standardDeviation": {
        "total": "701",
        "ok": "701",
        "ko": "-"
    },
    "percentiles1": {
        "total": "1420",
        "ok": "1420",
        "ko": "-"
    },
    "percentiles2": {
        "total": "1777",
        "ok": "1777",
        "ko": "-"
    },
    "percentiles3": {
        "total": "2754",
        "ok": "2754",
        "ko": "-"
    },
    "percentiles4": {
        "total": "3773",
        "ok": "3773",
        "ko": "-"
    },
    "group1": {
    "name": "t < 800 ms",
    "htmlName": "t < 800 ms",
    "count": 4,
    "percentage": 16.0
},
    "group2": {
    "name": "800 ms <= t < 1200 ms",
    "htmlName": "t >= 800 ms <br> t < 1200 ms",
    "count": 4,
    "percentage": 16.0
},
    "group3": {
    "name": "t >= 1200 ms",
    "htmlName": "t >= 1200 ms",
    "count": 17,
    "percentage": 68.0
},
    "group4": {
    "name": "failed",
    "htmlName": "failed",
    "count": 0,
    "percentage": 0.0
},
    "meanNumberOfRequestsPerSecond": {
        "total": "0.74",
        "ok": "0.74",
        "ko": "-"
    }
},
contents: {
"req_place-order--1462873355": {
        type: "REQUEST",
        name: "place order",
path: "checkout / place order",
pathFormatted: "req_checkout---plac--1508245718",
stats: {
    "name": "place order",
    "numberOfRequests": {
        "total": "25",
        "ok": "25",
        "ko": "0"
    },
    "minResponseTime": {
        "total": "295",
        "ok": "295",
        "ko": "-"
    },
    "maxResponseTime": {
        "total": "3772",
        "ok": "3772",
        "ko": "-"
    },
    "meanResponseTime": {
        "total": "1458",
        "ok": "1458",
        "ko": "-"
    },
    "standardDeviation": {
        "total": "701",
        "ok": "701",
        "ko": "-"
    },
    "percentiles1": {
        "total": "1415",
        "ok": "1415",
        "ko": "-"
    },
    "percentiles2": {
        "total": "1766",
        "ok": "1766",
        "ko": "-"
    },
    "percentiles3": {
        "total": "2749",
        "ok": "2749",
        "ko": "-"
    },
    "percentiles4": {
        "total": "3772",
        "ok": "3772",
        "ko": "-"
    },
    "group1": {
    "name": "t < 800 ms",
    "htmlName": "t < 800 ms",
    "count": 4,
    "percentage": 16.0
},
    "group2": {
    "name": "800 ms <= t < 1200 ms",
    "htmlName": "t >= 800 ms <br> t < 1200 ms",
    "count": 4,
    "percentage": 16.0
},
    "group3": {
    "name": "t >= 1200 ms",
    "htmlName": "t >= 1200 ms",
    "count": 17,
    "percentage": 68.0
},
    "group4": {
    "name": "failed",
    "htmlName": "failed",
    "count": 0,
    "percentage": 0.0
},
    "meanNumberOfRequestsPerSecond": {
        "total": "0.74",
        "ok": "0.74",
        "ko": "-"
    }
}
    }
}

     },"group_order-final-157297188": {
          type: "GROUP",
name: "order final",
path: "order final",
pathFormatted: "group_order-final-157297188",
stats: {
    "name": "order final",
    "numberOfRequests": {
        "total": "24",
        "ok": "24",
        "ko": "0"
    },
    "minResponseTime": {
        "total": "757",
        "ok": "757",
        "ko": "-"
    },
    "maxResponseTime": {
        "total": "2899",
        "ok": "2899",
        "ko": "-"
    },
    "meanResponseTime": {
        "total": "1772",
        "ok": "1772",
        "ko": "-"
    },
    "standardDeviation": {
        "total": "593",
        "ok": "593",
        "ko": "-"
    },
    "percentiles1": {
        "total": "1714",
        "ok": "1714",
        "ko": "-"
    },
    "percentiles2": {
        "total": "2246",
        "ok": "2246",
        "ko": "-"
    },
    "percentiles3": {
        "total": "2689",
        "ok": "2689",
        "ko": "-"
    },
    "percentiles4": {
        "total": "2899",
        "ok": "2899",
        "ko": "-"
    },
    "group1": {
    "name": "t < 800 ms",
    "htmlName": "t < 800 ms",
    "count": 1,
    "percentage": 4.166666666666666
},
    "group2": {
    "name": "800 ms <= t < 1200 ms",
    "htmlName": "t >= 800 ms <br> t < 1200 ms",
    "count": 3,
    "percentage": 12.5
},
    "group3": {
    "name": "t >= 1200 ms",
    "htmlName": "t >= 1200 ms",
    "count": 20,
    "percentage": 83.33333333333334
},
    "group4": {
    "name": "failed",
    "htmlName": "failed",
    "count": 0,
    "percentage": 0.0
},
    "meanNumberOfRequestsPerSecond": {
        "total": "0.71",
        "ok": "0.71",
        "ko": "-"
    }
},
contents: {
"req_order-status-963214596": {
        type: "REQUEST",
        name: "order status",
path: "order final / order status",
pathFormatted: "req_order-final---o-1853448913",
stats: {
    "name": "order status",
    "numberOfRequests": {
        "total": "42",
        "ok": "42",
        "ko": "0"
    },
    "minResponseTime": {
        "total": "40",
        "ok": "40",
        "ko": "-"
    },
    "maxResponseTime": {
        "total": "2363",
        "ok": "2363",
        "ko": "-"
    },
    "meanResponseTime": {
        "total": "505",
        "ok": "505",
        "ko": "-"
    },
    "standardDeviation": {
        "total": "483",
        "ok": "483",
        "ko": "-"
    },
    "percentiles1": {
        "total": "355",
        "ok": "355",
        "ko": "-"
    },
    "percentiles2": {
        "total": "569",
        "ok": "569",
        "ko": "-"
    },
    "percentiles3": {
        "total": "1392",
        "ok": "1392",
        "ko": "-"
    },
    "percentiles4": {
        "total": "2363",
        "ok": "2363",
        "ko": "-"
    },
    "group1": {
    "name": "t < 800 ms",
    "htmlName": "t < 800 ms",
    "count": 37,
    "percentage": 88.09523809523809
},
    "group2": {
    "name": "800 ms <= t < 1200 ms",
    "htmlName": "t >= 800 ms <br> t < 1200 ms",
    "count": 1,
    "percentage": 2.380952380952381
},
    "group3": {
    "name": "t >= 1200 ms",
    "htmlName": "t >= 1200 ms",
    "count": 4,
    "percentage": 9.523809523809524
},
    "group4": {
    "name": "failed",
    "htmlName": "failed",
    "count": 0,
    "percentage": 0.0
},
    "meanNumberOfRequestsPerSecond": {
        "total": "1.24",
        "ok": "1.24",
        "ko": "-"
    }
}
    }
}

     }
}

}

function fillStats(stat){
    $("#numberOfRequests").append(stat.numberOfRequests.total);
    $("#numberOfRequestsOK").append(stat.numberOfRequests.ok);
    $("#numberOfRequestsKO").append(stat.numberOfRequests.ko);

    $("#minResponseTime").append(stat.minResponseTime.total);
    $("#minResponseTimeOK").append(stat.minResponseTime.ok);
    $("#minResponseTimeKO").append(stat.minResponseTime.ko);

    $("#maxResponseTime").append(stat.maxResponseTime.total);
    $("#maxResponseTimeOK").append(stat.maxResponseTime.ok);
    $("#maxResponseTimeKO").append(stat.maxResponseTime.ko);

    $("#meanResponseTime").append(stat.meanResponseTime.total);
    $("#meanResponseTimeOK").append(stat.meanResponseTime.ok);
    $("#meanResponseTimeKO").append(stat.meanResponseTime.ko);

    $("#standardDeviation").append(stat.standardDeviation.total);
    $("#standardDeviationOK").append(stat.standardDeviation.ok);
    $("#standardDeviationKO").append(stat.standardDeviation.ko);

    $("#percentiles1").append(stat.percentiles1.total);
    $("#percentiles1OK").append(stat.percentiles1.ok);
    $("#percentiles1KO").append(stat.percentiles1.ko);

    $("#percentiles2").append(stat.percentiles2.total);
    $("#percentiles2OK").append(stat.percentiles2.ok);
    $("#percentiles2KO").append(stat.percentiles2.ko);

    $("#percentiles3").append(stat.percentiles3.total);
    $("#percentiles3OK").append(stat.percentiles3.ok);
    $("#percentiles3KO").append(stat.percentiles3.ko);

    $("#percentiles4").append(stat.percentiles4.total);
    $("#percentiles4OK").append(stat.percentiles4.ok);
    $("#percentiles4KO").append(stat.percentiles4.ko);

    $("#meanNumberOfRequestsPerSecond").append(stat.meanNumberOfRequestsPerSecond.total);
    $("#meanNumberOfRequestsPerSecondOK").append(stat.meanNumberOfRequestsPerSecond.ok);
    $("#meanNumberOfRequestsPerSecondKO").append(stat.meanNumberOfRequestsPerSecond.ko);
}
