"""A small dataset with public, restricted and confidential records, for sensitivity tests.

Every withheld record has ids, names and sources made of words that appear nowhere else, so a
test can search any output (JSON, HTML source, GraphML, Cypher, CSV, CLI text) for them.
``SECRETS[level]`` lists the strings that must not appear in an output limited below ``level``;
``COUNTS[limit]`` gives the exact node and relationship counts an output at ``limit`` may show.
Use it as ``folder = write_sensitivity_dataset(tmp_path / "sens")``.
"""

from __future__ import annotations

from pathlib import Path

__all__ = ["write_sensitivity_dataset", "SECRETS", "COUNTS", "PUBLIC_IDS"]

_NODES = {
    "Country": ("id,name,sensitivity\nNL,Netherlands,public\nUS,United States,public\nCN,China,public\n"),
    "Item": (
        "id,name,kind,sensitivity,source\n"
        "radar,Radar,system,public,https://example.org/radar\n"
        "trm,Transmit/receive module,component,public,https://example.org/trm\n"
        "kestrelmoor-seeker,Kestrelmoor Seeker Head,subsystem,confidential,https://vault.example/kestrelmoor\n"
    ),
    "Material": ("id,name,crma\ngallium,Gallium,strategic\n"),
    "Bloc": ("id,name\neu,European Union\nnato,NATO\n"),
    "Organisation": (
        "id,name,aliases,kind,city,employees,source,sensitivity\n"
        "open-prime,Open Prime BV,OPB,oem,Hengelo,2000,https://example.org/open-prime,public\n"
        "open-parts,Open Parts BV,,sme,Delft,80,https://example.org/open-parts,public\n"
        "quillfeather-optics,Quillfeather Optics,Quillfeather QF,sme,Vlissingen,12,https://intranet.example/quillfeather,restricted\n"
        "zephyrion-secure,Zephyrion Secure Systems,Zephyrion ZSS,startup,Utrecht,7,https://vault.example/zephyrion,confidential\n"
    ),
    "Programme": (
        "id,name,kind,sensitivity\n"
        "open-frigate,Open Frigate,acquisition,public\n"
        "nightjar-programme,Project Nightjarvale,development,confidential\n"
    ),
}

_RELS = {
    "LOCATED_IN": (
        "from,to,sensitivity\n"
        "open-prime,NL,public\n"
        "open-parts,NL,public\n"
        "quillfeather-optics,NL,restricted\n"
        "zephyrion-secure,NL,confidential\n"
    ),
    "SUPPLIES": (
        "from,to,item,source,sensitivity\n"
        "open-prime,open-frigate,radar,https://example.org/contract,public\n"
        # a public row that names a withheld item: withheld with it
        "open-parts,open-frigate,kestrelmoor-seeker,https://example.org/seeker,public\n"
        # a restricted fact between public nodes: the relationship is withheld, the nodes are not
        "open-parts,open-prime,trm,https://intranet.example/contract-marrowglen,restricted\n"
        # withheld nodes
        "quillfeather-optics,open-prime,trm,https://intranet.example/quillfeather-trm,restricted\n"
        "zephyrion-secure,open-prime,radar,https://vault.example/zephyrion-radar,confidential\n"
        "open-prime,nightjar-programme,radar,https://example.org/nightjar,public\n"
    ),
    "USES_MATERIAL": (
        "from,to,purpose,sensitivity\n"
        "open-parts,gallium,GaN wafers,public\n"
        "zephyrion-secure,gallium,Umbrathorn coatings,confidential\n"
    ),
    "PRODUCES": ("from,to,share_pct,stage\nCN,gallium,98,extraction\n"),
    "MEMBER_OF": ("from,to,valid_from\nNL,eu,1958-01-01\nNL,nato,1949-08-24\nUS,nato,1949-08-24\n"),
    "OWNED_BY": (
        "from,to,share_pct,source,sensitivity\n"
        "open-parts,CN,49,https://vault.example/ownership-brackenholt,confidential\n"
    ),
}

# Strings that may appear only at or above the given level.
SECRETS = {
    "restricted": [
        "quillfeather-optics",
        "Quillfeather",
        "intranet.example",
        "marrowglen",
    ],
    "confidential": [
        "zephyrion-secure",
        "Zephyrion",
        "kestrelmoor-seeker",
        "Kestrelmoor",
        "nightjar-programme",
        "Nightjarvale",
        "vault.example",
        "Umbrathorn",
        "brackenholt",
    ],
}

PUBLIC_IDS = ["NL", "US", "CN", "eu", "nato", "radar", "trm", "gallium", "open-prime", "open-parts", "open-frigate"]

# (nodes, relationships) visible at each limit
COUNTS = {
    # public rels: open-prime/open-parts LOCATED_IN, SUPPLIES open-prime->open-frigate, USES_MATERIAL
    # open-parts, PRODUCES; the blocs eu and nato and three MEMBER_OF rows
    "public": (11, 8),
    # + quillfeather node; its LOCATED_IN and SUPPLIES; the restricted open-parts->open-prime SUPPLIES
    "restricted": (12, 11),
    "confidential": (15, 17),
}


def write_sensitivity_dataset(folder: str | Path) -> Path:
    """Write the dataset into ``folder`` (created) and return it."""
    root = Path(folder)
    (root / "nodes").mkdir(parents=True, exist_ok=True)
    (root / "relationships").mkdir(parents=True, exist_ok=True)
    for label, text in _NODES.items():
        (root / "nodes" / f"{label}.csv").write_text(text, encoding="utf-8")
    for rtype, text in _RELS.items():
        (root / "relationships" / f"{rtype}.csv").write_text(text, encoding="utf-8")
    return root
