"""Fixed reference tables for the synthetic generator: countries, raw materials, domains, capabilities.

The figures are rounded, illustrative orders of magnitude (shares of organisations in a Dutch-centred
base; world production shares in the spirit of the EU CRMA 2023 study). They shape the synthetic
data; they are not claims about the real world, and every generated row says so
(``confidence=illustrative``).
"""
from __future__ import annotations

__all__ = ["COUNTRIES", "HOLDING_COUNTRIES", "MATERIALS", "DOMAINS", "CAPABILITIES", "NL_CITIES", "NAME_WORDS", "LEGAL_FORMS"]

# code: (name, eu, nato, eu_candidate, share of supplier organisations in percent)
COUNTRIES: dict[str, tuple[str, bool, bool, bool, float]] = {
    "NL": ("Netherlands", True, True, False, 35.0),
    "DE": ("Germany", True, True, False, 10.0),
    "FR": ("France", True, True, False, 7.0),
    "US": ("United States", False, True, False, 7.0),
    "GB": ("United Kingdom", False, True, False, 5.5),
    "BE": ("Belgium", True, True, False, 4.0),
    "IT": ("Italy", True, True, False, 3.5),
    "SE": ("Sweden", True, True, False, 2.5),
    "ES": ("Spain", True, True, False, 2.5),
    "PL": ("Poland", True, True, False, 2.0),
    "CN": ("China", False, False, False, 2.5),
    "NO": ("Norway", False, True, False, 1.5),
    "CH": ("Switzerland", False, False, False, 1.5),
    "DK": ("Denmark", True, True, False, 1.2),
    "IL": ("Israel", False, False, False, 1.2),
    "JP": ("Japan", False, False, False, 1.2),
    "FI": ("Finland", True, True, False, 1.0),
    "AT": ("Austria", True, False, False, 1.0),
    "CZ": ("Czechia", True, True, False, 1.0),
    "CA": ("Canada", False, True, False, 1.0),
    "KR": ("South Korea", False, False, False, 1.0),
    "TW": ("Taiwan", False, False, False, 1.0),
    "IN": ("India", False, False, False, 1.0),
    "TR": ("Türkiye", False, True, True, 0.8),
    "PT": ("Portugal", True, True, False, 0.6),
    "IE": ("Ireland", True, False, False, 0.5),
    "GR": ("Greece", True, True, False, 0.5),
    "RO": ("Romania", True, True, False, 0.5),
    "SG": ("Singapore", False, False, False, 0.5),
    "AU": ("Australia", False, False, False, 0.5),
    "HU": ("Hungary", True, True, False, 0.4),
    "UA": ("Ukraine", False, False, True, 0.4),
    "LU": ("Luxembourg", True, True, False, 0.3),
    "SK": ("Slovakia", True, True, False, 0.3),
    "BR": ("Brazil", False, False, False, 0.3),
    "EE": ("Estonia", True, True, False, 0.2),
    "LT": ("Lithuania", True, True, False, 0.2),
    "LV": ("Latvia", True, True, False, 0.2),
    "SI": ("Slovenia", True, True, False, 0.2),
    "HR": ("Croatia", True, True, False, 0.2),
    "BG": ("Bulgaria", True, True, False, 0.2),
    "ZA": ("South Africa", False, False, False, 0.2),
    "CL": ("Chile", False, False, False, 0.1),
    "ID": ("Indonesia", False, False, False, 0.1),
    "CD": ("DR Congo", False, False, False, 0.0),
    "RU": ("Russia", False, False, False, 0.0),
    "KZ": ("Kazakhstan", False, False, False, 0.0),
}

# Where the parents of foreign-owned firms sit (share in percent of holding organisations).
HOLDING_COUNTRIES: dict[str, float] = {
    "US": 22, "NL": 15, "GB": 10, "FR": 8, "DE": 8, "CN": 8, "JP": 5, "IL": 5, "CH": 5,
    "SE": 3, "IT": 3, "KR": 3, "IN": 2, "SG": 2, "TR": 1,
}

# id: (name, CRMA status, defence use, popularity among users, {stage: {country: share_pct}})
MATERIALS: dict[str, tuple[str, str, str, float, dict[str, dict[str, float]]]] = {
    "gallium": ("Gallium", "strategic", "GaN radar and electronic-warfare amplifiers", 3,
                {"extraction": {"CN": 98}, "processing": {"CN": 98}}),
    "germanium": ("Germanium", "strategic", "infrared optics, night vision", 2,
                  {"extraction": {"CN": 68, "RU": 5, "US": 2}}),
    "rare-earths-magnet": ("Rare earth elements for magnets", "strategic", "permanent magnets in actuators and motors", 5,
                           {"extraction": {"CN": 70, "US": 12, "AU": 5}, "processing": {"CN": 90}}),
    "tungsten": ("Tungsten", "strategic", "penetrators, tooling", 3, {"extraction": {"CN": 80, "RU": 2, "AT": 1}}),
    "cobalt": ("Cobalt", "strategic", "superalloys, batteries", 3,
               {"extraction": {"CD": 70, "ID": 5, "RU": 4, "AU": 2}, "processing": {"CN": 74, "FI": 10}}),
    "lithium": ("Lithium", "strategic", "batteries", 3, {"extraction": {"AU": 47, "CL": 30, "CN": 15}}),
    "titanium": ("Titanium metal", "strategic", "airframes, armour", 6, {"extraction": {"CN": 57, "JP": 17, "RU": 13, "KZ": 6}}),
    "magnesium": ("Magnesium", "strategic", "lightweight alloys", 3, {"extraction": {"CN": 89, "US": 4, "TR": 2}}),
    "graphite": ("Natural graphite", "strategic", "batteries, refractories", 2,
                 {"extraction": {"CN": 79, "BR": 7}, "processing": {"CN": 93}}),
    "nickel": ("Nickel (battery grade)", "strategic", "superalloys, batteries", 4, {"extraction": {"ID": 50, "RU": 7, "AU": 3}}),
    "silicon-metal": ("Silicon metal", "strategic", "semiconductors, solar", 4, {"extraction": {"CN": 76, "NO": 6, "BR": 5, "FR": 3}}),
    "copper": ("Copper", "strategic", "wiring, electronics", 8, {"extraction": {"CL": 24, "CD": 11, "CN": 8, "US": 5}}),
    "boron": ("Boron", "strategic", "armour ceramics, glass", 1, {"extraction": {"TR": 42, "US": 24, "CL": 10}}),
    "tantalum": ("Tantalum", "critical", "capacitors", 3, {"extraction": {"CD": 40, "BR": 15, "CN": 5}}),
    "niobium": ("Niobium", "critical", "high-strength steel, superalloys", 2, {"extraction": {"BR": 92, "CA": 8}}),
    "beryllium": ("Beryllium", "critical", "optics, guidance systems", 1, {"extraction": {"US": 88, "CN": 11}}),
    "antimony": ("Antimony", "critical", "ammunition primers, flame retardants", 2, {"extraction": {"CN": 48, "RU": 20, "TR": 5}}),
    "vanadium": ("Vanadium", "critical", "steel alloys", 1, {"extraction": {"CN": 62, "RU": 20, "ZA": 9, "BR": 7}}),
    "pgm": ("Platinum group metals", "critical", "catalysts, sensors", 1, {"extraction": {"ZA": 70, "RU": 12, "US": 3}}),
    "hafnium": ("Hafnium", "critical", "superalloys, nuclear", 1, {"extraction": {"FR": 49, "US": 44}}),
    "bauxite": ("Bauxite", "critical", "aluminium alloys", 6, {"extraction": {"AU": 27, "CN": 24, "BR": 9, "ID": 7}}),
    "scandium": ("Scandium", "critical", "aluminium-scandium alloys", 1, {"extraction": {"CN": 66, "RU": 26}}),
}

DOMAINS: dict[str, str] = {
    "air": "Air", "space": "Space", "land": "Land", "maritime": "Maritime", "cyber": "Cyber", "information": "Information",
}

CAPABILITIES: dict[str, str] = {
    "radar": "Radar", "sensors": "Sensors", "cms": "Combat management systems", "c4i": "C4I",
    "composites": "Composites", "drones": "Drones", "small-satellites": "Small satellites",
    "simulation": "Simulation", "bms": "Battlefield management systems", "logistics": "Logistics",
    "precision-machining": "Precision machining", "electronics": "Electronics", "optronics": "Optronics",
    "propulsion": "Propulsion", "munitions": "Munitions", "mro": "Maintenance, repair and overhaul",
}

NL_CITIES = ("Hengelo", "Eindhoven", "Delft", "Den Helder", "Woensdrecht", "Rotterdam", "Amsterdam",
             "Den Haag", "Enschede", "Helmond", "Vlissingen", "Nijmegen", "Breda", "Utrecht", "Almere")

NAME_WORDS = (
    ("Noord", "Delta", "Polder", "Kustlijn", "Vector", "Orion", "Helix", "Quantum", "Atlas", "Vanguard",
     "Falcon", "Meridian", "Nova", "Triton", "Kestrel", "Aurora", "Zenith", "Cobalt", "Titan", "Stellar"),
    ("Precision", "Systems", "Dynamics", "Photonics", "Composites", "Electronics", "Engineering", "Defence",
     "Aerospace", "Marine", "Optics", "Machining", "Technologies", "Robotics", "Materials", "Sensors"),
)
LEGAL_FORMS = {"NL": "B.V.", "BE": "NV", "DE": "GmbH", "AT": "GmbH", "CH": "AG", "FR": "SAS", "IT": "S.p.A.",
               "ES": "S.A.", "US": "Inc.", "GB": "Ltd", "IE": "Ltd", "SE": "AB", "NO": "AS", "DK": "A/S", "FI": "Oy"}
