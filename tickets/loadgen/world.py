"""What the generated shop is made of: countries, names, products, texts per language.

Plain tuples and dicts, read once; every text is one line without tabs or backslashes, so the
COPY sink writes it as it is."""

from typing import NamedTuple

# Every generated customer's email ends with this; the refusal rule (run.py) tells generated
# rows from real ones by it. `.example` is reserved (RFC 2606): no mail can ever reach it.
EMAIL_DOMAIN = "loadgen.example"
# Order.store of every generated order.
STORE = "loadgen"
# Generated agents: usernames start with this, emails end with EMAIL_DOMAIN.
AGENT_PREFIX = "loadgen-agent-"


class Country(NamedTuple):
    code: str
    language: str
    currency: str
    timezone: str
    weight: int


# 30 countries; the weights are how many of a thousand customers live there.
COUNTRIES: tuple[Country, ...] = (
    Country("US", "en", "USD", "America/New_York", 120),
    Country("GB", "en", "GBP", "Europe/London", 80),
    Country("IE", "en", "EUR", "Europe/Dublin", 12),
    Country("AU", "en", "AUD", "Australia/Sydney", 30),
    Country("CA", "en", "CAD", "America/Toronto", 30),
    Country("NZ", "en", "NZD", "Pacific/Auckland", 8),
    Country("SG", "en", "SGD", "Asia/Singapore", 10),
    Country("NL", "en", "EUR", "Europe/Amsterdam", 30),
    Country("SE", "en", "SEK", "Europe/Stockholm", 15),
    Country("DK", "en", "DKK", "Europe/Copenhagen", 10),
    Country("NO", "en", "NOK", "Europe/Oslo", 8),
    Country("FI", "en", "EUR", "Europe/Helsinki", 7),
    Country("PL", "en", "PLN", "Europe/Warsaw", 20),
    Country("JP", "en", "JPY", "Asia/Tokyo", 20),
    Country("IN", "en", "INR", "Asia/Kolkata", 10),
    Country("DE", "de", "EUR", "Europe/Berlin", 160),
    Country("AT", "de", "EUR", "Europe/Vienna", 30),
    Country("CH", "de", "CHF", "Europe/Zurich", 30),
    Country("FR", "fr", "EUR", "Europe/Paris", 90),
    Country("BE", "fr", "EUR", "Europe/Brussels", 20),
    Country("LU", "fr", "EUR", "Europe/Luxembourg", 5),
    Country("ES", "es", "EUR", "Europe/Madrid", 60),
    Country("MX", "es", "MXN", "America/Mexico_City", 30),
    Country("AR", "es", "ARS", "America/Argentina/Buenos_Aires", 10),
    Country("CO", "es", "COP", "America/Bogota", 10),
    Country("CL", "es", "CLP", "America/Santiago", 10),
    Country("CN", "zh-hans", "CNY", "Asia/Shanghai", 70),
    Country("TW", "zh-hans", "TWD", "Asia/Taipei", 15),
    Country("HK", "zh-hans", "HKD", "Asia/Hong_Kong", 15),
    Country("MY", "zh-hans", "MYR", "Asia/Kuala_Lumpur", 5),
)

# Units of each currency one EUR buys (rounded; the data need not be today's rates).
PER_EUR: dict[str, str] = {
    "EUR": "1",
    "USD": "1.08",
    "GBP": "0.85",
    "AUD": "1.65",
    "CAD": "1.47",
    "NZD": "1.78",
    "SGD": "1.45",
    "SEK": "11.40",
    "DKK": "7.46",
    "NOK": "11.60",
    "PLN": "4.30",
    "JPY": "162",
    "INR": "90",
    "CHF": "0.95",
    "MXN": "18.50",
    "ARS": "950",
    "COP": "4300",
    "CLP": "1000",
    "CNY": "7.80",
    "TWD": "34.50",
    "HKD": "8.45",
    "MYR": "5.05",
}

# (sku, title, price in EUR)
PRODUCTS: tuple[tuple[str, str, str], ...] = (
    ("KTL-1700-BLK", "Brewmaster 1.7 L Electric Kettle, Black", "39.90"),
    ("HDP-ANC-300", "Aurora ANC-300 Wireless Headphones", "179.00"),
    ("SPK-MINI-BLU", "Pebble Mini Bluetooth Speaker, Blue", "49.90"),
    ("LMP-DESK-LED", "Lumo LED Desk Lamp with USB-C", "59.00"),
    ("BAG-TRV-40L", "Nomad 40 L Travel Backpack", "89.00"),
    ("SHO-RUN-42", "Stride Running Shoes, EU 42", "119.00"),
    ("JKT-RAIN-M", "Drift Rain Jacket, Size M", "129.00"),
    ("MUG-CER-SET4", "Stoneware Mug Set of 4", "34.50"),
    ("PAN-CI-28", "Cast Iron Skillet 28 cm", "54.90"),
    ("WCH-PULSE-2", "Pulse 2 Smartwatch", "199.00"),
    ("CHG-GAN-65W", "65 W GaN USB-C Charger", "39.00"),
    ("TEA-SENCHA-200", "Organic Sencha Green Tea, 200 g", "18.90"),
    ("YGA-CORK-6MM", "Cork Yoga Mat 6 mm", "69.00"),
    ("CAM-TRAIL-4K", "Trail 4K Action Camera", "249.00"),
    ("KBD-MECH-TKL", "Tenkeyless Mechanical Keyboard", "109.00"),
    ("BTL-STEEL-750", "Steel Water Bottle 750 ml", "24.90"),
    ("PLW-MEM-60", "Memory Foam Pillow 60 cm", "45.00"),
    ("MSE-ERGO-WL", "Ergonomic Wireless Mouse", "49.00"),
    ("TNT-2P-UL", "Ultralight Two-Person Tent", "289.00"),
    ("GRN-COF-1KG", "Single-Origin Coffee Beans, 1 kg", "32.00"),
)

FIRST_NAMES: dict[str, tuple[str, ...]] = {
    "en": ("James", "Olivia", "Liam", "Emma", "Noah", "Ava", "Lucas", "Mia", "Ethan", "Grace"),
    "de": ("Lukas", "Anna", "Felix", "Lea", "Jonas", "Marie", "Paul", "Sophie", "Max", "Laura"),
    "fr": ("Louis", "Camille", "Hugo", "Chloé", "Jules", "Manon", "Léo", "Inès", "Gabriel", "Léa"),
    "es": (
        "Mateo",
        "Lucía",
        "Hugo",
        "Sofía",
        "Martín",
        "Valeria",
        "Pablo",
        "Paula",
        "Diego",
        "Elena",
    ),
    "zh-hans": ("伟", "芳", "娜", "敏", "静", "强", "磊", "洋", "艳", "杰"),
}
LAST_NAMES: dict[str, tuple[str, ...]] = {
    "en": (
        "Smith",
        "Jones",
        "Taylor",
        "Brown",
        "Wilson",
        "Evans",
        "Walker",
        "Wright",
        "Hall",
        "Green",
    ),
    "de": (
        "Müller",
        "Schmidt",
        "Schneider",
        "Fischer",
        "Weber",
        "Meyer",
        "Wagner",
        "Becker",
        "Hoffmann",
        "Koch",
    ),
    "fr": (
        "Martin",
        "Bernard",
        "Dubois",
        "Thomas",
        "Robert",
        "Richard",
        "Petit",
        "Durand",
        "Leroy",
        "Moreau",
    ),
    "es": (
        "García",
        "Rodríguez",
        "González",
        "Fernández",
        "López",
        "Martínez",
        "Sánchez",
        "Pérez",
        "Gómez",
        "Díaz",
    ),
    "zh-hans": ("王", "李", "张", "刘", "陈", "杨", "黄", "赵", "吴", "周"),
}
