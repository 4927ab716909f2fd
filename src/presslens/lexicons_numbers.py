"""Word lists for the timex and quantity stages (data, not logic).

Unit names follow the normalised units of NewsQuant (``dollar``, ``percentage``,
``japanese yen``, ``mile per hour``) so the scorer can compare them directly.
"""

from __future__ import annotations

#: Cardinal number words and their values.
NUMBER_WORDS: dict[str, int] = {
    "zero": 0, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
    "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13,
    "fourteen": 14, "fifteen": 15, "sixteen": 16, "seventeen": 17, "eighteen": 18,
    "nineteen": 19, "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60,
    "seventy": 70, "eighty": 80, "ninety": 90,
}  # fmt: skip

#: Multipliers written as words or abbreviations after a number ("2.5bn", "40 million").
SCALES: dict[str, int] = {
    "hundred": 100,
    "thousand": 1_000,
    "k": 1_000,
    "million": 1_000_000,
    "millions": 1_000_000,
    "mn": 1_000_000,
    "mln": 1_000_000,
    "mil": 1_000_000,
    "m": 1_000_000,
    "billion": 1_000_000_000,
    "bn": 1_000_000_000,
    "b": 1_000_000_000,
    "trillion": 1_000_000_000_000,
    "tn": 1_000_000_000_000,
    "trn": 1_000_000_000_000,
    # South Asian English: a lakh is 100,000 and a crore 10 million ("Rs 2,500 crore" is
    # 25 billion rupees, "3.5 lakh farmers" 350,000); "lakh crore" is 10^12
    "lakh": 100_000,
    "lac": 100_000,
    "crore": 10_000_000,
    "cr": 10_000_000,
    "lakh crore": 1_000_000_000_000,
}

#: Single-letter scales are read only right after a currency ("$2.5m", "£3bn"), never alone.
LETTER_SCALES = frozenset({"k", "m", "b", "cr"})

#: Vague counts: words -> (low, high, approx label): the order of magnitude they name
#: ("tens of thousands of dollars" is 10,000-100,000, as NewsQuant annotates it).
VAGUE_COUNTS: dict[str, tuple[int, int | None, str]] = {
    "dozens": (24, None, "dozens"),
    "scores": (40, None, "scores"),
    "hundreds": (100, 1_000, "hundreds"),
    "thousands": (1_000, 10_000, "thousands"),
    "tens of thousands": (10_000, 100_000, "tens of thousands"),
    "hundreds of thousands": (100_000, 1_000_000, "hundreds of thousands"),
    "millions": (1_000_000, 10_000_000, "millions"),
    "tens of millions": (10_000_000, 100_000_000, "tens of millions"),
    "hundreds of millions": (100_000_000, 1_000_000_000, "hundreds of millions"),
    "billions": (1_000_000_000, 10_000_000_000, "billions"),
    "lakhs": (100_000, 10_000_000, "lakhs"),
    "crores": (10_000_000, 1_000_000_000, "crores"),
}

#: Plural nouns that a four-digit number before them counts rather than dates ("2000 people",
#: "1990 protesters"); "1992 sales", "1988 levels" and "the 2000 elections" stay years. Nouns of
#: people ending in -ers, -ors, -ists, -ians, -ants, -ents, -ees also count (``COUNT_SUFFIXES``)
#: unless listed in ``YEAR_NOUNS``.
COUNT_NOUNS = frozenset(
    {"people", "persons", "men", "women", "children", "kids", "adults", "youths", "police",
     "troops", "staff", "families", "households", "homes", "houses", "jobs", "cases", "deaths",
     "victims", "casualties", "refugees", "migrants", "students", "pupils", "patients",
     "tourists", "fans", "delegates", "signatures", "names", "cars", "vehicles", "trucks",
     "animals", "sheep", "cattle", "birds", "trees", "tons", "tonnes", "acres", "hectares",
     "villages", "schools", "shops", "stores", "firms", "companies", "businesses", "units",
     "copies", "tickets", "seats", "beds", "guests", "marchers", "rioters", "inmates",
     "prisoners", "detainees", "civilians", "soldiers", "officers", "nurses", "doctors"}
)  # fmt: skip
COUNT_SUFFIXES = ("ers", "ors", "ists", "ians", "ants", "ents", "ees")
#: Plural nouns with a people-like ending that a year before them dates ("1990 numbers").
YEAR_NOUNS = frozenset(
    {"numbers", "orders", "quarters", "earnings", "results", "figures", "payments",
     "statements", "agreements", "investments", "elements", "amendments", "shipments",
     "markers", "letters", "papers", "matters", "offers", "transfers", "charters",
     "headquarters", "elections", "centers", "centres", "returns", "sales", "accounts",
     "contracts", "developments", "events", "talents", "grants", "governments", "documents",
     "departments", "settlements", "models", "budgets", "levels", "prices", "rates",
     "profits", "revenues", "totals", "forecasts", "estimates", "projections", "targets"}
)  # fmt: skip
#: Words before a four-digit number that make it an amount, not a year ("some 2000 people",
#: "nearly 1990"); ``WEAK_COUNT_CUES`` do so only with a noun after it ("about 2000 people", but
#: "around 1990, the firm moved").
COUNT_CUES = frozenset({"some", "nearly", "almost", "more than", "at least", "fewer than",
                        "less than", "no fewer than", "as many as", "upwards of"})  # fmt: skip
WEAK_COUNT_CUES = frozenset({"about", "around", "over", "up to", "roughly", "approximately"})

#: Words after a letter scale that show it is a length ("5m high"), not a million.
LENGTH_WORDS = frozenset({"high", "long", "wide", "deep", "tall", "away", "above", "below"})

#: Words before a number that make it approximate or a bound -> the normalised ``approx``.
APPROX_CUES: dict[str, str] = {
    "around": "around",
    "about": "around",
    "approximately": "around",
    "roughly": "around",
    "some": "around",
    "circa": "around",
    "an estimated": "around",
    "estimated": "around",
    "nearly": "nearly",
    "almost": "nearly",
    "close to": "nearly",
    "just under": "nearly",
    "more than": "more than",
    "over": "more than",
    "upwards of": "more than",
    "in excess of": "more than",
    "at least": "at least",
    "no fewer than": "at least",
    "as many as": "up to",
    "up to": "up to",
    "less than": "less than",
    "fewer than": "less than",
    "under": "less than",
    "below": "less than",
    "at most": "up to",
}

#: Currency written before the number -> normalised unit.
CURRENCY_PREFIX: dict[str, str] = {
    "$": "dollar", "us$": "dollar", "us $": "dollar", "usd": "dollar", "a$": "australian dollar",
    "c$": "canadian dollar", "hk$": "hong kong dollar", "s$": "singaporean dollar",
    "s $": "singaporean dollar", "nz$": "new zealand dollar", "€": "euro", "eur": "euro",
    "£": "pound sterling", "gbp": "pound sterling", "¥": "japanese yen", "jpy": "japanese yen",
    "rm": "malaysian ringgit", "rs": "indian rupee", "rs.": "indian rupee", "inr": "indian rupee",
    "₹": "indian rupee", "cny": "chinese yuan", "rmb": "chinese yuan", "mad": "moroccan dirham",
    "chf": "swiss franc", "₩": "south korean won", "ps": "pound sterling", "y=": "japanese yen",
}  # fmt: skip

#: Unit words after the number -> normalised unit (plural and singular forms).
UNIT_WORDS: dict[str, str] = {
    "%": "percentage", "percent": "percentage", "per cent": "percentage", "pc": "percentage",
    "percentage points": "percentage point", "percentage point": "percentage point",
    "dollars": "dollar", "dollar": "dollar", "cents": "cent", "cent": "cent",
    "euros": "euro", "euro": "euro", "pounds sterling": "pound sterling",
    "yen": "japanese yen", "yuan": "chinese yuan", "renminbi": "chinese yuan",
    "ringgit": "malaysian ringgit", "shekels": "shekel", "shekel": "shekel",
    "rupees": "indian rupee", "rupee": "indian rupee", "dirhams": "moroccan dirham",
    "dirham": "moroccan dirham", "francs": "swiss franc", "pesos": "peso", "peso": "peso",
    "sen": "sen", "won": "south korean won",
    "km/h": "kilometre per hour", "kph": "kilometre per hour", "mph": "mile per hour",
    "miles per hour": "mile per hour", "mile per hour": "mile per hour",
    "kilometres per hour": "kilometre per hour", "kilometers per hour": "kilometre per hour",
    "metres per second": "metre per second", "meters per second": "metre per second",
    "m/s": "metre per second", "mpg": "mile per gallon", "miles per gallon": "mile per gallon",
    "barrels per day": "barrel per day", "barrels a day": "barrel per day",
    "bpd": "barrel per day", "barrels": "barrel", "barrel": "barrel",
    "km": "kilometre", "kilometres": "kilometre", "kilometers": "kilometre",
    "kilometre": "kilometre", "kilometer": "kilometre", "miles": "mile", "mile": "mile",
    "metres": "metre", "meters": "metre", "metre": "metre", "meter": "metre", "m": "metre",
    "cm": "centimetre", "centimetres": "centimetre", "centimeters": "centimetre",
    "mm": "millimetre", "millimetres": "millimetre", "millimeters": "millimetre",
    "micrometres": "micrometre", "micrometers": "micrometre", "microns": "micrometre",
    "feet": "foot", "foot": "foot", "ft": "foot", "inches": "inch", "inch": "inch",
    "yards": "yard", "yard": "yard", "square metres": "square metre",
    "square meters": "square metre", "sq m": "square metre", "sqm": "square metre",
    "square feet": "square foot", "sq ft": "square foot", "acres": "acre", "acre": "acre",
    "hectares": "hectare", "hectare": "hectare", "square kilometres": "square kilometre",
    "square kilometers": "square kilometre", "square miles": "square mile",
    "kg": "kilogram", "kilograms": "kilogram", "kilos": "kilogram", "kilogram": "kilogram",
    "g": "gram", "grams": "gram", "mg": "milligram", "milligrams": "milligram",
    "tonnes": "metric ton", "tons": "tonne", "tonne": "metric ton", "ton": "tonne",
    "lbs": "pound-mass", "lb": "pound-mass", "ksi": "kilopound per square inch",
    "litres": "litre", "liters": "litre", "litre": "litre", "liter": "litre",
    "gallons": "gallon", "gallon": "gallon", "pints": "pint", "pint": "pint",
    "quarts": "quart", "quart": "quart", "ounces": "ounce", "ounce": "ounce", "oz": "ounce",
    "m2": "square metre", "km2": "square kilometre", "cm2": "square centimetre",
    "l": "litre", "mbps": "megabit per second", "gbps": "gigabit per second",
    "gb": "gigabyte", "tb": "terabyte", "mb": "megabyte", "ghz": "gigahertz",
    "mhz": "megahertz", "hz": "hertz", "khz": "kilohertz",
    "mw": "megawatt", "megawatts": "megawatt", "gw": "gigawatt", "gigawatts": "gigawatt",
    "kw": "kilowatt", "kilowatts": "kilowatt", "w": "watt", "watts": "watt",
    "kwh": "kilowatt hour", "mwh": "megawatt hour", "mah": "milliampere-hour",
    "hp": "horsepower", "horsepower": "horsepower", "bhp": "horsepower",
    "ppb": "parts-per-billion", "ppm": "parts-per-million",
    "degrees celsius": "celsius", "°c": "celsius", "c": "celsius",
    "degrees fahrenheit": "fahrenheit", "°f": "fahrenheit", "f": "fahrenheit",
    "degrees": "degree", "degree": "degree",
    "years": "year", "year": "year", "months": "month", "month": "month",
    "weeks": "week", "week": "week", "days": "day", "day": "day",
    "hours": "hour", "hour": "hour", "minutes": "minute", "minute": "minute",
    "seconds": "second", "second": "second", "decades": "decade", "decade": "decade",
    "points": "point", "point": "point", "pts": "point",
    "times": "count", "ppg": "point per game", "rpg": "rebound per game",
    "apg": "assist per game", "war": "win above replacement", "bps": "basis point",
    "basis points": "basis point", "basis point": "basis point", "μm": "micrometre",
    "mpa": "megapascal", "cubic feet": "cubic foot", "innings": "inning",
    "millimeter": "millimetre", "millimetre": "millimetre", "centimeter": "centimetre",
    "centimetre": "centimetre", "km/hr": "kilometre per hour", "lb-ft": "foot pound-force",
    "kn": "croatian kuna", "danish crowns": "danish krone", "danish kroner": "danish krone",
    "swedish crowns": "swedish krona", "swedish kronor": "swedish krona",
    "norwegian crowns": "norwegian krone", "norwegian kroner": "norwegian krone",
}  # fmt: skip

#: Market indexes whose names end in a number ("S&P 500", "Stoxx 600", "TA-125"): the number
#: after one of these words names the index, it is not an amount.
INDEX_NAME_WORDS = frozenset(
    {"s&p", "sp", "p", "nasdaq", "ftse", "stoxx", "russell", "dax", "cac", "nikkei", "asx",
     "kospi", "sensex", "nifty", "ta", "msci", "topix", "ibex", "aex", "smi", "omx", "wig"}
)  # fmt: skip

#: "per X" / "a X" after a unit -> the denominator's name ("$5 a month" -> dollar per month).
PER_UNITS: dict[str, str] = {
    "year": "year", "month": "month", "week": "week", "day": "day", "hour": "hour",
    "share": "share", "gallon": "gallon", "ounce": "ounce", "game": "game", "barrel": "barrel",
    "tonne": "tonne", "ton": "tonne", "person": "person", "capita": "capita",
    "square foot": "square foot", "sq ft": "square foot", "kg": "kilogram", "litre": "litre",
}  # fmt: skip

#: Units that are plain letters: read only when glued to the number or clearly a unit.
SHORT_UNITS = frozenset({"m", "g", "w", "c", "f", "l", "r"})

#: Duration units -> TIMEX3 duration letter ("P7Y", "PT3H").
DURATION_UNITS: dict[str, str] = {
    "year": "Y", "years": "Y", "yr": "Y", "yrs": "Y", "month": "M", "months": "M",
    "week": "W", "weeks": "W", "day": "D", "days": "D", "decade": "DE", "decades": "DE",
    "century": "CE", "centuries": "CE", "quarter": "Q", "quarters": "Q",
    "hour": "H", "hours": "H", "minute": "MIN", "minutes": "MIN", "second": "S",
    "seconds": "S", "weekend": "WE", "weekends": "WE",
}  # fmt: skip

MONTHS: dict[str, int] = {
    "january": 1, "jan": 1, "february": 2, "feb": 2, "march": 3, "mar": 3, "april": 4,
    "apr": 4, "may": 5, "june": 6, "jun": 6, "july": 7, "jul": 7, "august": 8, "aug": 8,
    "september": 9, "sep": 9, "sept": 9, "october": 10, "oct": 10, "november": 11, "nov": 11,
    "december": 12, "dec": 12,
}  # fmt: skip

WEEKDAYS: dict[str, int] = {
    "monday": 0, "tuesday": 1, "wednesday": 2, "thursday": 3, "friday": 4, "saturday": 5,
    "sunday": 6,
}  # fmt: skip

SEASONS: dict[str, str] = {
    "spring": "SP", "summer": "SU", "autumn": "FA", "fall": "FA", "winter": "WI",
}  # fmt: skip

PARTS_OF_DAY: dict[str, str] = {
    "morning": "MO", "afternoon": "AF", "evening": "EV", "night": "NI", "tonight": "NI",
    "overnight": "NI", "mid-afternoon": "AF",
}  # fmt: skip

#: Deictic words with a fixed TIMEX3 value ("once", "soon", "previously" are left out: on
#: TempEval-3 TBAQ they were mostly not annotated).
REF_WORDS: dict[str, str] = {
    "now": "PRESENT_REF", "currently": "PRESENT_REF", "nowadays": "PRESENT_REF",
    "at present": "PRESENT_REF", "presently": "PRESENT_REF", "these days": "PRESENT_REF",
    "recently": "PAST_REF", "the past": "PAST_REF", "future": "FUTURE_REF",
    "the near future": "FUTURE_REF", "the future": "FUTURE_REF",
    "the foreseeable future": "FUTURE_REF", "the coming years": "FUTURE_REF",
}  # fmt: skip

#: Words after a number that make it an age ("44-year-old", "aged 44").
AGE_WORDS = frozenset({"year-old", "years-old", "year old", "years old"})

#: Verbs whose subject or object is not what a number counts but who says it.
REPORT_LEMMAS = frozenset({"say", "tell", "reveal", "report", "announce", "state", "add"})

#: Quantity kinds (the ``quantities`` layer's labels) the numbers filters accept
#: (``presslens numbers --kind``, ``/numbers?kind=``).
NUMBER_KINDS = ("count", "money", "percent", "measure", "duration", "age", "vague", "fraction",
                "score")  # fmt: skip
