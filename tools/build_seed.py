"""Build the shipped seed dataset ``seed/`` from the public facts compiled for nldtib.

Run from the repository root::

    python tools/build_seed.py          # writes seed/nodes/*.csv and seed/relationships/*.csv

Every row carries ``source`` (URLs from the facts' source list), ``as_of`` and ``confidence``.
``reported`` rows restate a cited source; ``inferred`` rows are derived from sources (for example a
share computed from tonnages, or a seat that the source implies); ``illustrative`` rows are modelled
so that the resilience analyses have supply structure to work on, and are not claims about the real
world. The files are written with :func:`nldtib.write_dataset`, so they are in canonical form.
"""
from __future__ import annotations

import sys
import tempfile
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from nldtib import Dataset, Node, Rel, load_schema, read_dataset, write_dataset  # noqa: E402

# --------------------------------------------------------------------------------------------
# Sources (the IDs of /work/shared/reference/nldtib-public-facts.md, plus membership sources)
# --------------------------------------------------------------------------------------------
S = {
    "B1": "https://berenschot.com/news/defence-and-security-sector-wants-shorter-time-frames-for-the-supply-and-expansion-of-equipment",
    "B2": "https://www.nidv.eu/nieuws/berenschot-brengt-bedrijfsleven-in-beeld/",
    "O1": "https://www.nrc.nl/nieuws/2012/06/27/thales-verlegt-koers-van-militair-naar-civiel-12334947-a1083320",
    "O2": "https://www.rtvoost.nl/nieuws/324538/Thales-heeft-primeur-met-mega-order-Britse-defensie-Economie-Overijssel-profiteert-mee",
    "O3": "https://www.ruetir.com/2024/03/22/now-that-western-governments-are-spending-money-on-defense-again-orders-for-thales-are-pouring-in/",
    "O4": "https://www.rd.nl/artikel/1100937-volop-werk-in-spannende-tijden-voor-jarige-zeeuwse-marinewerf",
    "O5": "https://www.worldcargonews.com/business/2020/05/ihc-deal-struck-to-keep-dutch-dredger-builder-in-local-hands/",
    "O6": "https://dsm.forecastinternational.com/2015/07/29/gkn-to-acquire-fokker-in-blockbuster-deal",
    "O7": "https://www.rd.nl/vandaag/economie/melrose-wint-strijd-om-moederbedrijf-fokker-1.1477490",
    "O8": "https://dekrantnieuws.nl/photonis-viert-vijftigjarig-bestaan-in-roden/",
    "O9": "https://www.lejournaldesentreprises.com/article/500-millions-deuros-une-commande-historique-pour-exosens-2133080",
    "O9w": "http://fr.wikipedia.com/wiki/Photonis",
    "O10": "https://linkmagazine.nl/nedinsco-defensie-zoekt-ons-nu-op-dat-geeft-hoop-voor-de-toekomst/",
    "O11": "https://www.finanzen.at/nachrichten/aktien/hensoldt-aktie-schwacher-uebernahme-von-optronik-spezialisten-1035900252",
    "O12": "https://www.nd.nl/varia/varia/1113532/finnen-kopen-nederlandse-defensie-en-luchtvaartspecialist",
    "O13": "https://www.gelderlander.nl/zevenaar/zevenaarse-defensiespecialist-overgenomen-door-finse-grootmacht~aeac0129/",
    "O14": "https://www.rtlnieuws.nl/nieuws/artikel/5360612/defensie-china-militair-pantservoertuigen-spionage-boxer-bushmaster",
    "O15": "https://www.nu.nl/economie/6053190/geschorste-directieleden-wilden-fox-it-weer-in-nederlandse-handen-krijgen.html",
    "O16": "https://berthub.eu/tkconv/verslag.html?vergaderingid=d4a73adc-9d91-4479-9aeb-129643d2f81a",
    "O17": "https://eenvandaag.avrotros.nl/artikelen/hoe-kunnen-nederlandse-bedrijven-profiteren-van-uitbreiding-defensie-investeer-in-start-ups-en-innovatie-161992",
    "O18": "https://www.welingelichtekringen.nl/economie/defensie-industrie-meer-samen-doen-om-opschaling-te-versnellen",
    "O19": "https://www.nl-aid.org/nederland-droneland-125-startups-mega-fabriek-in-born-orders-van-honderden-miljoenen/",
    "O20": "https://nltoday.news/?p=78279",
    "O21": "https://www.nrc.nl/nieuws/2017/10/13/een-stukje-nederland-in-het-heelal-13484838-a1577204",
    "O22": "https://bits-chips.nl/artikel/ontwikkelhuis-en-reisbureau-voor-nanosatellieten/",
    "O23": "https://spacereport.blogspot.com/2021/02/february-19-2021.html",
    "K1": "https://d-boxproject.eu/cms,article,41,tno.html",
    "K2": "https://magazines.defensie.nl/materieelgezien/2015/04/04muddemonstrator",
    "K3": "https://www.eerstekamer.nl/nieuws/20250624/kamerleden_bezoeken_nederlands",
    "K4": "https://iiab.me/kiwix/content/wikipedia_en_all_maxi_2023-10/A/Royal_NLR",
    "K5": "https://www.marin.nl/nl/news/pepijn-de-jong-leidt-marins-nieuwe-afdeling-defence",
    "K6": "https://magazines.defensie.nl/materieelgezien/2022/04/dutch-naval-design-werkt-aan-maritieme-innovaties",
    "A1": "https://open.overheid.nl/Details/ronl-b93de91c-a947-47c6-9753-acc631240ef5/1",
    "A2": "https://www.nidv.eu/nieuws/industrieel-success-f-35-zet-door/",
    "A3": "https://www.fme.nl/standpunten/verdedig-de-economie-investeer-veiligheid-en-defensie",
    "A4": "https://archive.damen.com/en/companies/damen-schelde-naval-shipbuilding/nlnavy/news/27-03-2018-ministry-of-defense-makes-good-progress-with-defense-white-paper",
    "P1": "https://www.government.nl/topics/commissariat-for-military-production/orders-in-the-f-35-programme-jsf",
    "P2": "https://www.avm-mag.com/netherlands-f135-engine-heavy-maintenance-facility-achieves-initial-depot-capability",
    "P3": "https://defensemirror.com/news/16374/Netherlands_MoD__StandardAero_Sign_Partnership_For_F135_Engine_Servicing_Upgrades",
    "P4": "https://magazines.defensie.nl/vliegendehollander/2015/11/template-artikel",
    "P5": "https://www.opex360.com/2019/02/14/thales-va-livrer-de-nouveaux-radars-multi-missions-a-larmee-royale-neerlandaise/",
    "P6": "https://armees.com/thales-radars-pays-bas-nouvelle-commande/",
    "P7": "https://marinelink.com/news/damen-build-four-antisubmarine-warfare-506193",
    "P7b": "https://naval-technology.com/newsletters/damen-contracts-first-dutch-supplier-joint-belgian-dutch-frigates",
    "P8": "https://magazines.defensie.nl/materieelgezien/2022/09/maritieme-projecten-in-vertrouwde-haven",
    "P8b": "https://www.nidv.eu/nieuws/nederlandse-toptech-in-noord-europees-verband-een-update-over-nnsc/",
    "P9": "https://swzmaritime.nl/news/2024/09/12/dutch-firms-to-land-eur-1-billion-in-submarine-orders/",
    "P9b": "https://www.bairdmaritime.com/amp/story/security/naval/naval-submersibles/partnership-to-supply-subsystems-for-future-dutch-submarines",
    "P10": "https://defensenews.com/global/europe/2024/03/15/frances-naval-group-wins-6-billion-dutch-submarine-project",
    "P11": "https://nieuws.nl/economie/20231130/drie-nederlandse-start-ups-mogen-innovaties-voor-navo-ontwikkelen/",
    "P12": "https://magazines.defensie.nl/specials/2024/01/05_maintenance-valley",
    "P13": "https://www.upinthesky.nl/2025/10/07/nieuwe-vlieg-fabriek-in-nederland/",
    "P13b": "https://www.blikopnieuws.nl/nieuws/307773/defensie-zet-stappen-in-opbouw-industrie-innovatie-en-kennis-voor-drones-en-munitie",
    "P14": "http://dsm.forecastinternational.com/2019/03/18/belgium-and-the-netherlands-select-naval-mine-hunting-solution",
    "P15": "https://defenceindustrynews.com/all-news/first-cut-steel-plate-of-the-new-ships-for-belgum-and-dutch/",
    "P15b": "https://www.navalnews.com/naval-news/2023/10/video-netherlands-first-new-mcm-mothership-launched-by-naval-group/",
    "P16": "https://maritime-executive.com/article/netherlands-provides-support-to-damen-naval-as-german-frigates-are-delayed",
    "P17": "https://amsterdamtimes.com/damen-shipyards-faces-financial-strains-amid-delays-in-german-frigate-construction",
    "P18": "https://www.defensenews.com/land/2022/07/20/us-and-netherlands-agree-to-share-helicopter-developments/",
    "P19": "http://www.combataircraft.com/en/News/2022/06/17/Six-NATO-countries-sign-agreement-to-collaborate-on-next-gen-helo/",
    "E1": "https://magazines.defensie.nl/vliegendehollander/2021/12/09_onderhoud-f135-straalmotor",
    "E2": "https://nieuws.nl/noordbrabant/20211001/motoren-van-f-35s-kunnen-naar-woensdrecht-voor-onderhoud/",
    "E3": "https://aviolanda.nl/business-case-maintenance-valley/",
    "R1": "https://www.omroepbrabant.nl/nieuws/2927522/Brabant-haalt-in-productiefase-van-JSF-project-honderden-miljoenen-euro-s-aan-werk-en-banen-binnen",
    "R2": "https://www.upinthesky.nl/2020/09/21/nederland-neemt-productie-f-35-onderdelen-over-van-turkije/",
    "R3": "https://aviaciondigital.com/gkn-aerospace-y-pratt-whitney-firman-un-acuerdo-para-los-componentes-de-motor-del-f-35/",
    "R4": "https://www.rd.nl/vandaag/politiek/fokker-krijgt-nieuwe-contracten-voor-f-35-1.1544169",
    "R5": "http://www.f35.nl/jsf-nieuws/economie-werkgelegenheid/vanghaak-f-35-neusje-zalm/",
    "R6": "http://magazine.aerospacemanufacturinganddesign.com/article/aprilmay-2017/gkn-aerospaces-fokker-unit-selected-for-f-35-landing-gear-maintenance.aspx",
    "R7": "https://innovationorigins.com/nl/kmwe-gaat-komende-10-jaar-uitlaten-voor-jsf-produceren",
    "R8": "https://www.kmwe.com/news/kmwe-delivers-more-for-jsf/",
    "R9": "http://www.defense-aerospace.com/articles-view/release/3/178602/dutch-mod-details-f_35-maintenance-win.html",
    "R10": "https://zoek.officielebekendmakingen.nl/kst-26488-42.html",
    "R11": "https://www.rijksoverheid.nl/actueel/nieuws/2019/01/30/overdracht-f-35-mijlpaal-defensie-levert-nederlandse-economie-miljarden-op",
    "R12": "https://linkmagazine.nl/jsf-lobbyist-maxime-verhagen-pleit-voor-investeringen-in-europa-en-in-trans-atlantische-defensiesamenwerking/",
    "R15": "https://defesaaereanaval.com.br/naval/hensoldt-e-nedinsco-vao-produzir-em-conjunto-periscopios-submarinos/amp",
    "I1": "https://govconexec.com/2024/03/natos-innovation-network-adds-new-accelerator-test-sites/",
    "I2": "https://janescom-stg.sitefinity.cloud/osint-insights/defence-news-details/nato-approves-charter-of-diana-innovation-accelerator-with-european-headquarters-in-uk",
    "I3": "https://eeas.europa.eu/eeas/european-defence-fund_en",
    "I4": "https://www.tweedekamer.nl/kamerstukken/brieven_regering/detail?did=2025D35123&id=2025D35123",
    "I5": "https://www.nidv.eu/nieuws/blog-12-het-edf-korte-uitleg-voor-de-tweede-ronde/",
    "I6": "https://www.blikopnieuws.nl/nieuws/305724/staatssecretaris-defensie-opent-fonds-voor-innovatieve-bedrijven.html",
    "I7": "https://www.nidv.eu/nieuws/blog-1-european-defence-industrial-development-programme-edidp-2020/",
    "I8": "https://www.nhnieuws.nl/nieuws/n109450/hoofdkantoor-innovatiefonds-navo-komt-naar-nederland",
    "I9": "https://nieuws.nl/algemeen/20230320/hoofdkwartier-innovatiefonds-navo-komt-in-nederland/",
    "I10": "https://www.invest-nl.nl/en/news/dutch-government-and-invest-nl-unveil-joint-investment-plan-half-a-billion-for-growth-companies",
    "I11": "https://www.nrc.nl/nieuws/2020/09/07/kabinet-presenteert-investeringsfonds-met-20-miljard-euro-a4011028",
    "I12": "https://www.bedrijvenbeleidinbeeld.nl/beleidsinstrumenten/ipcei",
    "I13": "https://hollandhightech.nl/en/news-calendar/news/archive/2023/approval-of-government-support-for-dutch-micro-and-nanoelectronics-innovations",
    "I14": "https://www.bedrijvenbeleidinbeeld.nl/beleidsinstrument/p/pps-toeslag",
    "M1": "https://www.crmalliance.eu/post/critical-and-strategic-raw-materials-identified",
    "M2": "https://wiki.av1.space/content/wikipedia_en_all_mini_2025-06/Critical_mineral_raw_materials",
    "M3": "https://www.channelnewsasia.com/business/materials-germanium-gallium-china-export-restrictions-3604361",
    "M4": "https://www.graphicnews.com/de/pages/44524/economy-gallium-germanium-exporte",
    "M5": "https://www.defensemirror.com/news/34530/China_to_Control_Export_of_GaN__GaAs_used_in_U_S__AESA_Radars",
    "M6": "https://circuitdigest.com/news/global-chip-production-at-risk-as-china-restrict-exports-of-gallium-and-germanium",
    "M7": "https://karveinternational.com/insights/the-impact-of-chinas-rare-earth-supply-chain-monopoly-on-national-security",
    "M8": "https://howtobuyamerican.com/americas-war-machine-runs-on-rare-earth-magnets-china-owns-that-market/",
    "M9": "https://discoveryalert.com.au/china-export-restrictions-tungsten-antimony-2025",
    "M10": "https://republicofmining.com/2024/08/16/china-squeezes-western-militaries-with-export-ban-on-weapons-metal-by-annie-lee-and-mark-burton-australian-financial-review-august-16-2024/",
    "M11": "https://www.visualcapitalist.com/sp/visualizing-asias-dominance-in-the-titanium-supply-chain/",
    "M11b": "https://min-met.com/blog/china-dominates-titanium-industry-from-ore-mines-to-alloy-production",
    "M12": "https://www.miningsee.eu/cobalt-production-drc-leads-africa-china-dominates-refining-market/",
    "M13": "https://www.industrialheating.com/blogs/14-industrial-heating-experts-speak-blog/post/90749-mineral-wars-part-5",
    # Added for the seed (not in the facts' list):
    "USGS": "https://pubs.usgs.gov/periodicals/mcs2024/",
    "REE23": "https://miningvisuals.com/post/chinas-dominance-in-rare-earth-production",
    "EU": "https://european-union.europa.eu/principles-countries-history/eu-countries_en",
    "NATO": "https://www.nato.int/cps/en/natohq/topics_52044.htm",
    "ENL": "https://enlargement.ec.europa.eu/",
}
MODELLED = "modelled for the nldtib seed (no source states it)"
TAXONOMY = "nldtib taxonomy (schema/schema.yaml; docs/architecture.md)"
FACTS_DATE = "2025-10"  # when the facts were compiled from the sources (latest source: P13, 2025-10-07)


def src(*keys: str) -> str:
    return ";".join(S[k] if k in S else k for k in keys)


NODES: list[Node] = []
RELS: list[Rel] = []


def _clean(props: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in props.items() if v is not None and v != "" and v != []}


def node(label: str, id_: str, name: str, source: str, as_of: str, conf: str, **props: Any) -> None:
    NODES.append(Node(id_, label, _clean({"name": name, **props, "source": source, "as_of": as_of,
                                          "confidence": conf, "sensitivity": "public"})))


def rel(type_: str, a: str, b: str, source: str, as_of: str, conf: str, **props: Any) -> None:
    RELS.append(Rel(type_, a, b, _clean({**props, "source": source, "as_of": as_of, "confidence": conf,
                                         "sensitivity": "public"})))


# --------------------------------------------------------------------------------------------
# Countries: every EU and NATO member, the EU candidates, and the third countries the materials
# and relations need. Memberships as of 2025-01-01.
# --------------------------------------------------------------------------------------------
EU = {"AT", "BE", "BG", "HR", "CY", "CZ", "DK", "EE", "FI", "FR", "DE", "GR", "HU", "IE", "IT", "LV", "LT",
      "LU", "MT", "NL", "PL", "PT", "RO", "SK", "SI", "ES", "SE"}
NATO = {"AL", "BE", "BG", "CA", "HR", "CZ", "DK", "EE", "FI", "FR", "DE", "GR", "HU", "IS", "IT", "LV", "LT",
        "LU", "ME", "NL", "MK", "NO", "PL", "PT", "RO", "SK", "SI", "ES", "SE", "TR", "GB", "US"}
CANDIDATES = {"AL", "BA", "GE", "MD", "ME", "MK", "RS", "TR", "UA"}
COUNTRY_NAMES = {
    "AT": "Austria", "BE": "Belgium", "BG": "Bulgaria", "HR": "Croatia", "CY": "Cyprus", "CZ": "Czechia",
    "DK": "Denmark", "EE": "Estonia", "FI": "Finland", "FR": "France", "DE": "Germany", "GR": "Greece",
    "HU": "Hungary", "IE": "Ireland", "IT": "Italy", "LV": "Latvia", "LT": "Lithuania", "LU": "Luxembourg",
    "MT": "Malta", "NL": "Netherlands", "PL": "Poland", "PT": "Portugal", "RO": "Romania", "SK": "Slovakia",
    "SI": "Slovenia", "ES": "Spain", "SE": "Sweden",
    "AL": "Albania", "CA": "Canada", "IS": "Iceland", "ME": "Montenegro", "MK": "North Macedonia",
    "NO": "Norway", "TR": "Türkiye", "GB": "United Kingdom", "US": "United States",
    "BA": "Bosnia and Herzegovina", "GE": "Georgia", "MD": "Moldova", "RS": "Serbia", "UA": "Ukraine",
    "CN": "China", "RU": "Russia", "IN": "India", "JP": "Japan", "KR": "South Korea", "AU": "Australia",
    "BR": "Brazil", "ZA": "South Africa", "CD": "DR Congo", "CL": "Chile", "IL": "Israel", "TW": "Taiwan",
    "SG": "Singapore", "CH": "Switzerland", "MM": "Myanmar", "TH": "Thailand", "VN": "Vietnam",
    "TJ": "Tajikistan", "KZ": "Kazakhstan", "ID": "Indonesia", "MZ": "Mozambique", "BY": "Belarus",
}
COUNTRY_ALIASES = {"GB": ["UK", "Great Britain"], "US": ["USA", "United States of America"],
                   "TR": ["Turkey"], "CZ": ["Czech Republic"], "GR": ["Hellas", "EL"],
                   "CD": ["Democratic Republic of the Congo", "DRC"], "MM": ["Burma"],
                   "KR": ["Republic of Korea"], "MK": ["Republic of North Macedonia"], "NL": ["The Netherlands"]}


def build_countries() -> None:
    membership = src("EU", "NATO", "ENL")
    for code, name in COUNTRY_NAMES.items():
        node("Country", code, name, membership, "2025-01-01", "reported",
             aliases=COUNTRY_ALIASES.get(code), eu=code in EU, nato=code in NATO,
             eu_candidate=code in CANDIDATES)


# --------------------------------------------------------------------------------------------
# Taxonomy: domains and capabilities (vocabulary; no claim of their own)
# --------------------------------------------------------------------------------------------
DOMAINS = {"air": "Air", "land": "Land", "maritime": "Maritime", "space": "Space", "cyber": "Cyber",
           "information": "Information"}
CAPABILITIES = {
    "radar": "Radar", "sensors": "Sensors", "combat-management-systems": "Combat management systems",
    "c4i": "C4I", "composites": "Composites", "drones": "Drones", "small-satellites": "Small satellites",
    "simulation": "Simulation", "battlefield-management-systems": "Battlefield management systems",
    "logistics": "Logistics", "optronics": "Optronics and night vision", "shipbuilding": "Shipbuilding",
    "submarine-design": "Submarine design", "mro": "Maintenance, repair and overhaul (MRO)",
    "wiring": "Wiring harnesses", "landing-gear": "Landing gear", "cryptography": "Cryptography",
    "cybersecurity": "Cybersecurity", "aerostructures": "Aerostructures",
    "engine-components": "Engine components and precision machining",
    "platform-management": "Integrated platform management and bridge systems",
    "military-vehicles": "Military vehicles and trailers", "batteries": "Batteries",
    "satellite-subsystems": "Satellite subsystems (solar arrays, attitude control, laser communication)",
    "underwater-robotics": "Underwater robotics", "autonomous-systems": "Autonomous systems and swarms",
    "hydrodynamics": "Hydrodynamics", "mine-countermeasures": "Mine countermeasures", "sonar": "Sonar",
    "defence-research": "Defence research", "procurement": "Defence procurement",
}


def build_taxonomy() -> None:
    for id_, name in DOMAINS.items():
        node("Domain", id_, name, TAXONOMY, "2025", "inferred",
             description="Military operational domain (nldtib vocabulary).")
    for id_, name in CAPABILITIES.items():
        node("Capability", id_, name, TAXONOMY, "2025", "inferred",
             description="Technological or industrial capability (nldtib vocabulary).")


# --------------------------------------------------------------------------------------------
# Organisations
# --------------------------------------------------------------------------------------------
ALL_DOMAINS = ["air", "land", "maritime", "space", "cyber"]  # "all" in the facts' domain column


def org(id_: str, name: str, kind: str, country: str, source: str, *, as_of: str = FACTS_DATE,
        conf: str = "reported", loc_conf: str | None = None, loc_source: str | None = None,
        domains: list[str] = (), caps: list[str] = (), dir_conf: str | None = None, **props: Any) -> None:
    """One organisation with its LOCATED_IN, ACTIVE_IN and HAS_CAPABILITY relationships.

    ``loc_conf`` is the confidence of the country (defaults to ``conf``); ``dir_conf`` that of the
    domain and capability links (defaults to ``conf``).
    """
    node("Organisation", id_, name, source, as_of, conf, kind=kind, **props)
    rel("LOCATED_IN", id_, country, loc_source or source, as_of, loc_conf or conf)
    for d in domains:
        rel("ACTIVE_IN", id_, d, source, as_of, dir_conf or conf)
    for c in caps:
        rel("HAS_CAPABILITY", id_, c, source, as_of, dir_conf or conf)


def build_organisations() -> None:
    # --- the 36 organisations of the facts' table 2 ---
    org("thales-nederland", "Thales Nederland", "oem", "NL", src("O1", "O2", "O3", "P5"),
        city="Hengelo", aliases=["Thales NL", "Hollandse Signaalapparaten", "Signaal"],
        domains=["maritime", "land", "air"], caps=["radar", "sensors", "combat-management-systems", "c4i"],
        turnover_eur=557e6, website="https://www.thalesgroup.com/en/countries/europe/netherlands",
        description="Radars (SMART-L MM, APAR, SM400, GM200 MM/C) and the Tacticos combat management system. "
                    "Sites also in Huizen, Houten, Delft, Enschede and Eindhoven. Turnover EUR 557M in 2022, 80% exported.")
    org("damen-naval", "Damen Naval", "oem", "NL", src("O4", "P7"), city="Vlissingen",
        aliases=["Damen Schelde Naval Shipbuilding", "De Schelde"], domains=["maritime"], caps=["shipbuilding"],
        description="Naval shipyard (frigates); founded as De Schelde in 1875, part of Damen Shipyards Group since 2000.")
    org("rh-marine", "RH Marine", "sme", "NL", src("P7", "P9", "P12"), domains=["maritime"],
        caps=["platform-management"],
        description="Mission management, integrated bridge and integrated platform management systems (IPMS). City not verified.")
    org("royal-ihc", "Royal IHC", "oem", "NL", src("O5", "P9"), city="Kinderdijk", aliases=["IHC"],
        domains=["maritime"], caps=["shipbuilding"],
        description="Shipyard; builds submarine steel modules for the Orka programme. Owned since 2020 by a "
                    "consortium of HAL, Ackermans & van Haaren, MerweOord and Huisman.")
    org("nevesbu", "Nevesbu", "sme", "NL", src("P9"), domains=["maritime"], caps=["submarine-design"],
        description="Naval and submarine design bureau (about 90 years of submarine design). City not verified.")
    org("gkn-fokker-aerostructures", "GKN Fokker Aerostructures", "oem", "NL", src("O6", "O7", "R2", "R3"),
        city="Hoogeveen", aliases=["GKN Fokker", "Fokker Aerostructures", "Fokker Technologies"],
        domains=["air"], caps=["composites", "aerostructures", "engine-components"],
        description="Tier-1 aerostructures: composites, wing parts and composite F135 engine parts. Fokker was "
                    "bought by GKN in 2015 (EUR 706M); Melrose took over GKN in 2018.")
    org("gkn-fokker-elmo", "GKN Fokker Elmo", "oem", "NL", src("R1", "R2"), city="Hoogerheide",
        aliases=["Fokker Elmo"], domains=["air"], caps=["wiring"],
        description="Tier-1 wiring harnesses; on the F-35 since 2002. Located at Hoogerheide (Woensdrecht) per "
                    "[R1][R2]; " + S["R4"] + " places it in Hoogeveen (conflicting sources).")
    org("gkn-fokker-landing-gear", "GKN Fokker Landing Gear", "oem", "NL", src("R1", "R5", "R6"), city="Helmond",
        aliases=["Fokker Landing Gear"], domains=["air"], caps=["landing-gear", "mro"],
        description="Tier-1 landing gear, the F-35C arresting hook, and landing-gear MRO for the F-35 in Europe and the Pacific.")
    org("kmwe", "KMWE", "sme", "NL", src("R7", "R8"), city="Eindhoven", aliases=["DutchAero", "KMWE DutchAero"],
        domains=["air"], caps=["engine-components"],
        description="Tier-2 supplier of engine nozzle fabrications and machined engine parts (F135 nozzle parts under a 10-year deal from 2018).")
    org("aeronamic", "Aeronamic", "sme", "NL", src("R9"), city="Almelo", domains=["air"],
        caps=["engine-components", "mro"], description="High-speed rotating components and component MRO; F-35 component maintenance.")
    org("standardaero-woensdrecht", "StandardAero F135 depot Woensdrecht", "large_enterprise", "NL",
        src("P2", "P3"), city="Woensdrecht", aliases=["StandardAero Netherlands"], domains=["air"], caps=["mro"],
        description="F135 and F100 engine MRO; runs the F135 depot as a government-owned, company-operated (GOCO) site. "
                    "Kind `large_enterprise` is nldtib's classification (the facts call it an MRO site of StandardAero).")
    org("logistiek-centrum-woensdrecht", "Logistiek Centrum Woensdrecht", "government", "NL", src("P4", "E1"),
        city="Woensdrecht", aliases=["LCW"], domains=["air"], caps=["mro", "logistics"], dir_conf="inferred",
        description="Royal Netherlands Air Force maintenance centre since 1953. The logistics capability is inferred from its name.")
    org("photonis-netherlands", "Photonis Netherlands", "oem", "NL", src("O8", "O9"), city="Roden",
        aliases=["Photonis NL", "Exosens Roden"], domains=["land", "space"], caps=["optronics"],
        description="Image-intensifier tubes for night vision; more than 350 staff [O8] (head count left empty: only a lower bound is known). "
                    "Part of Exosens (FR), renamed from Photonis in September 2023.")
    org("nedinsco", "Nedinsco", "sme", "NL", src("O10", "O11"), city="Venlo", domains=["land", "maritime"],
        caps=["optronics"], description="Vehicle vision systems and periscopes. Acquisition by HENSOLDT (DE) announced, "
                                        "pending (closing expected mid-2026) as of 2025.")
    org("patria-netherlands", "Patria Netherlands", "sme", "NL", src("O12", "O13"), city="Zevenaar",
        aliases=["Nedaero"], domains=["air"], caps=["aerostructures", "mro"], dir_conf="inferred",
        description="Formerly Nedaero; F-16 and NH90 parts (F-35 according to [O13]). Owned by Patria (FI) since 2022.")
    org("visser-bv", "Visser B.V.", "sme", "NL", src("O14"), as_of="2023", domains=["land"], caps=["military-vehicles"],
        aliases=["Visser"], dir_conf="inferred",
        description="Vehicle firm with Boxer and Bushmaster know-how, owned through Ziegler (DE) by CIMC (CN). "
                    "City not verified (Friesland per the facts, unverified).")
    org("fox-it", "Fox-IT", "sme", "NL", src("O15", "O16"), city="Delft", aliases=["Fox Crypto", "Fox-IT / Fox Crypto"],
        domains=["cyber"], caps=["cybersecurity", "cryptography"],
        description="Cybersecurity and cryptography for state secrets. Owned by NCC Group (UK) since 2015; the ownership of "
                    "Fox Crypto changed in 2025 (Kamerstuk 30821-269), details not verified.")
    org("broshuis", "Broshuis", "sme", "NL", src("O17"), as_of="2024", city="Kampen", domains=["land"],
        caps=["military-vehicles"], turnover_eur=130e6, defence_share_pct=50.0,
        description="Military trailers; EUR 130M turnover, about half from defence; customers include the Belgian, US, "
                    "Danish, Norwegian and Canadian forces. Source date approximate (year of the article not verified).")
    org("vdl-groep", "VDL Groep", "oem", "NL", src("O18", "P13"), city="Eindhoven", aliases=["VDL"],
        domains=["land"], caps=["military-vehicles"],
        description="Industrial group (trucks); strategic partner of Defensie (2025); partner in the Born production site.")
    org("deltaquad", "DeltaQuad", "startup", "NL", src("O19", "P13"), domains=["air"], caps=["drones"],
        description="Fixed-wing reconnaissance drones (VTOL); in the Born production site. City not verified.")
    org("tulip-tech", "Tulip Tech", "startup", "NL", src("O19", "P13"), domains=["air"], caps=["batteries", "drones"],
        description="Drone batteries; supplies battery packs to DeltaQuad; in the Born production site. City not verified.")
    org("tective", "Tective", "startup", "NL", src("I6"), city="Delft", domains=["air"], caps=["drones", "autonomous-systems"],
        description="Autonomous drone-swarm airfield; SecFund.")
    org("lobster-robotics", "Lobster Robotics", "startup", "NL", src("O20", "P11"), city="Delft", domains=["maritime"],
        caps=["underwater-robotics"], description="Seabed-mapping autonomous underwater vehicle (AUV); NATO DIANA 2023 cohort.")
    org("airbus-ds-netherlands", "Airbus Defence and Space Netherlands", "oem", "NL", src("O21"), city="Leiden",
        aliases=["Airbus DS NL", "Dutch Space"], domains=["space"], caps=["satellite-subsystems"],
        description="Satellite solar arrays.")
    org("isispace", "ISISPACE", "sme", "NL", src("O22"), city="Delft", aliases=["Innovative Solutions In Space", "ISIS"],
        domains=["space"], caps=["small-satellites"], description="Nanosatellites.")
    org("aac-hyperion", "AAC Hyperion", "sme", "NL", src("O23"), city="Delft", aliases=["Hyperion Technologies"],
        domains=["space"], caps=["satellite-subsystems", "small-satellites"],
        description="Attitude determination and control (ADCS) and laser communication for small satellites; part of AAC Clyde Space since 2020.")
    org("tno", "TNO", "knowledge_institute", "NL", src("K1", "K2"), city="The Hague",
        aliases=["Netherlands Organisation for Applied Scientific Research"], domains=["maritime", "land", "cyber"],
        caps=["defence-research", "sonar"], description="Applied research, including defence research (for example mine-detection sonar).")
    org("royal-nlr", "Royal NLR", "knowledge_institute", "NL", src("K3", "K4"), city="Amsterdam",
        aliases=["NLR", "Netherlands Aerospace Centre"], domains=["air", "space"], caps=["defence-research", "drones"],
        description="Aerospace research centre (Amsterdam and Marknesse); strategic partner of the Ministry of Defence; drones.")
    org("marin", "MARIN", "knowledge_institute", "NL", src("K5", "K6"), city="Wageningen",
        aliases=["Maritime Research Institute Netherlands"], domains=["maritime"], caps=["hydrodynamics", "defence-research"],
        description="Hydrodynamics research; a Defence department since 2022.")
    org("nidv", "NIDV", "association", "NL", src("A1", "A2", "O18"), city="The Hague",
        aliases=["Stichting Nederlandse Industrie voor Defensie en Veiligheid", "NIID"], domains=ALL_DOMAINS,
        description="Industry association for defence and security, founded in 1984 (as NIID); runs the NIFARP F-35 platform.")
    org("fme", "FME", "association", "NL", src("A3"), domains=ALL_DOMAINS,
        description="Employers' organisation of the technology industry. City not verified.")
    org("vno-ncw", "VNO-NCW", "association", "NL", src("A4"), domains=ALL_DOMAINS,
        description="Employers' federation. City not verified.")
    org("dmo", "Defence Materiel Organisation (COMMIT)", "government", "NL", src("P8", "P5"),
        aliases=["DMO", "COMMIT", "Defensie Materieel Organisatie"], domains=ALL_DOMAINS, caps=["procurement"],
        description="Defence procurement organisation of the Dutch Ministry of Defence (now COMMIT); initiated NNSC. City not verified.")
    org("dmi", "Directie Materiële Instandhouding (DMI)", "government", "NL", src("P12", "P9"), city="Den Helder",
        aliases=["DMI"], domains=["maritime"], caps=["mro"], description="Naval maintenance directorate of the Ministry of Defence.")
    org("commissariaat-militaire-productie", "Commissariaat Militaire Productie", "government", "NL", src("B2", "P1"),
        city="The Hague", aliases=["CMP", "Commissariat for Military Production"], domains=ALL_DOMAINS,
        description="Part of the Ministry of Economic Affairs; commissioned the NLDTIB study; collects the F-35 industry levy.")
    org("naval-group", "Naval Group", "oem", "FR", src("P9", "P10"), city="Paris", aliases=["DCNS"],
        domains=["maritime"], caps=["shipbuilding", "submarine-design", "mine-countermeasures"],
        description="French naval prime: submarines and mine-countermeasure vessels; 62.5% owned by the French state.")

    # --- other Dutch organisations the relations need ---
    org("ministerie-van-defensie", "Ministry of Defence (Netherlands)", "government", "NL", src("P2", "P3", "P13"),
        city="The Hague", aliases=["Defensie", "NL MoD", "Ministerie van Defensie"], domains=ALL_DOMAINS,
        description="Dutch Ministry of Defence; partner in the F135 depot and the Born production site.")
    org("royal-netherlands-navy", "Royal Netherlands Navy", "government", "NL", src("P12"), city="Den Helder",
        aliases=["Koninklijke Marine"], domains=["maritime"],
        description="Dutch navy; signatory of the Maritime Maintenance Valley letter of intent (2024).")
    org("damen-shiprepair-conversion", "Damen Shiprepair & Conversion", "large_enterprise", "NL", src("P12"),
        aliases=["Damen S&C"], domains=["maritime"], caps=["mro", "shipbuilding"], dir_conf="inferred",
        description="Damen's ship repair arm; signatory of the Maritime Maintenance Valley letter of intent. "
                    "Kind and capabilities are nldtib's classification.")
    org("damen-shipyards-group", "Damen Shipyards Group", "oem", "NL", src("O4", "P17"), aliases=["Damen"],
        domains=["maritime"], caps=["shipbuilding"], description="Dutch shipbuilding group; parent of Damen Naval since 2000.")
    org("stork", "Stork (aerospace)", "oem", "NL", src("R10"), as_of="2006", aliases=["Stork Aerospace", "Stork Fokker"],
        domains=["air"], caps=["aerostructures"],
        description="Supplied F-35 flaperons (at least USD 170M, 2006, Kamerstuk 26488-42). That Stork's aerospace arm "
                    "became Fokker Technologies (bought by GKN in 2015) is not stated by the cited sources (inferred).")
    org("hal-investments", "HAL Investments", "investor", "NL", src("O5"), as_of="2020-05", loc_conf="inferred",
        aliases=["HAL", "HAL Holding"], description="Investment company; co-owner of Royal IHC since 2020. Seat inferred.")
    org("merweoord", "MerweOord", "investor", "NL", src("O5"), as_of="2020-05", loc_conf="inferred",
        description="Co-owner of Royal IHC since 2020. Kind and seat inferred (nldtib classification).", conf="reported")
    org("huisman", "Huisman", "large_enterprise", "NL", src("O5"), as_of="2020-05", loc_conf="inferred",
        aliases=["Huisman Equipment"], description="Equipment maker; co-owner of Royal IHC since 2020. Kind and seat inferred.")
    org("ackermans-van-haaren", "Ackermans & van Haaren", "investor", "BE", src("O5"), as_of="2020-05",
        loc_conf="inferred", aliases=["AvH"], description="Belgian investment group; co-owner of Royal IHC since 2020. Seat inferred.")

    # --- foreign primes, customers and owners ---
    org("lockheed-martin", "Lockheed Martin", "oem", "US", src("P1", "R1"), domains=["air"], caps=["aerostructures"],
        dir_conf="inferred", description="US prime contractor of the F-35.")
    org("northrop-grumman", "Northrop Grumman", "oem", "US", src("R2"), as_of="2020-09", loc_conf="inferred",
        domains=["air"], caps=["aerostructures"], dir_conf="inferred",
        description="US prime; customer of GKN Fokker composite skins for the F-35. Seat inferred.")
    org("pratt-whitney", "Pratt & Whitney", "oem", "US", src("R3", "R7", "P2"), loc_conf="inferred",
        aliases=["P&W"], domains=["air"], caps=["engine-components"], dir_conf="inferred",
        description="US engine maker; F135 engine of the F-35; partner in the F135 depot at Woensdrecht. Seat inferred.")
    org("f-35-jpo", "F-35 Joint Program Office", "government", "US", src("R6", "R9"), loc_conf="inferred",
        aliases=["JPO", "F-35 JPO"], domains=["air"],
        description="US-led programme office of the F-35; customer of Dutch landing-gear and component MRO. Seat inferred.")
    org("thales", "Thales", "oem", "FR", src("O1", "P9"), aliases=["Thales SA", "Thales Group"],
        domains=["air", "land", "maritime", "space", "cyber"], caps=["sonar", "radar", "sensors"], dir_conf="inferred",
        description="French defence and electronics group; parent of Thales Nederland; supplies the Orka sonar suite.")
    org("gkn-aerospace", "GKN Aerospace", "oem", "GB", src("O6", "O7"), domains=["air"], caps=["aerostructures"],
        dir_conf="inferred", description="UK aerospace group; bought Fokker in 2015 (EUR 706M); owned by Melrose since 2018.")
    org("melrose", "Melrose Industries", "large_enterprise", "GB", src("O7"), aliases=["Melrose"],
        description="UK group that took over GKN in 2018.")
    org("exosens", "Exosens", "oem", "FR", src("O9", "O9w"), as_of="2023-09", aliases=["Photonis Group"],
        domains=["land"], caps=["optronics"],
        description="French photonics group, renamed from Photonis in September 2023; image-intensifier tubes from Roden (NL) and Brive (FR).")
    org("hensoldt", "HENSOLDT", "oem", "DE", src("O11", "R15"), as_of="2025", domains=["land", "maritime", "air"],
        caps=["optronics", "sensors"], dir_conf="inferred", description="German sensor house; acquiring Nedinsco (pending as of 2025).")
    org("patria", "Patria", "oem", "FI", src("O12", "O13"), as_of="2022", domains=["land", "air"],
        caps=["military-vehicles", "mro"], dir_conf="inferred", description="Finnish defence group; owns Patria Netherlands since 2022.")
    org("kongsberg", "Kongsberg Gruppen", "oem", "NO", MODELLED, as_of="2025", conf="illustrative", loc_conf="inferred",
        aliases=["Kongsberg"], description="Illustrative: Norwegian defence group, modelled as Patria's minority owner "
                                           "(not in the cited sources).")
    org("ziegler", "Ziegler", "large_enterprise", "DE", src("O14"), as_of="2023", aliases=["Albert Ziegler"],
        description="German fire-engine maker; parent of Visser; owned by CIMC since 2013.")
    org("cimc", "CIMC", "large_enterprise", "CN", src("O14"), as_of="2023",
        aliases=["China International Marine Containers"],
        description="Chinese industrial group, described as state-controlled in [O14]; owner of Ziegler since 2013.")
    org("ncc-group", "NCC Group", "large_enterprise", "GB", src("O15"), as_of="2020", domains=["cyber"],
        caps=["cybersecurity"], description="UK cybersecurity group; owner of Fox-IT since 2015.")
    org("standardaero", "StandardAero", "large_enterprise", "US", src("P2", "P3"), domains=["air"], caps=["mro"],
        description="US engine MRO company; operates the F135 depot at Woensdrecht.")
    org("theon", "Theon", "oem", "GR", src("O9"), loc_conf="inferred", aliases=["Theon Sensors"], domains=["land"],
        caps=["optronics"], dir_conf="inferred",
        description="Night-vision systems maker; ordered more than 200,000 image-intensifier tubes (EUR 500M) from Exosens "
                    "for the German and Belgian armies. Seat inferred.")
    org("exail", "Exail", "oem", "FR", src("P14", "P15"), loc_conf="inferred", aliases=["ECA Group", "ECA"],
        domains=["maritime"], caps=["mine-countermeasures", "drones"], dir_conf="inferred",
        description="French maker of naval drones (formerly ECA Group); partner of Naval Group in rMCM. Seat inferred.")
    org("kership", "Kership", "sme", "FR", src("P15"), city="Concarneau", conf="inferred", domains=["maritime"],
        caps=["shipbuilding"], description="Shipyard at Concarneau that builds the rMCM hulls. Kind is nldtib's classification (inferred).")
    org("crist", "Crist", "sme", "PL", src("P15"), conf="inferred", domains=["maritime"], caps=["shipbuilding"],
        description="Shipyard that cuts steel for the rMCM hulls. Kind and seat (Poland) are inferred.")
    org("blohm-voss", "Blohm+Voss", "oem", "DE", src("P16", "P17"), loc_conf="inferred", aliases=["Blohm + Voss"],
        domains=["maritime"], caps=["shipbuilding"], dir_conf="inferred",
        description="German shipyard; partner of Damen Naval in the F126 frigate programme. Seat inferred.")
    org("aac-clyde-space", "AAC Clyde Space", "sme", "SE", src("O23"), as_of="2021-02", loc_conf="inferred",
        domains=["space"], caps=["small-satellites"], dir_conf="inferred",
        description="Swedish-British small-satellite company; owns AAC Hyperion since 2020. Kind and seat (Sweden) inferred.")
    org("airbus", "Airbus", "large_enterprise", "NL", src("O21"), loc_conf="inferred", aliases=["Airbus SE"],
        domains=["air", "space"], dir_conf="inferred",
        description="European aerospace group ('EU' in the facts); parent of Airbus DS Netherlands. LOCATED_IN NL is its "
                    "registered seat in Leiden (inferred; operational headquarters in France).")
    org("nato", "NATO", "government", "BE", src("P11", "I2"), loc_conf="inferred",
        aliases=["North Atlantic Treaty Organization"], description="The Alliance; runs DIANA. Seat (Brussels) inferred.")
    org("nspa", "NATO Support and Procurement Agency", "government", "LU", src("P19"), loc_conf="inferred",
        aliases=["NSPA"], description="NATO agency that manages the Next Generation Rotorcraft Capability (NGRC). Seat inferred.")


# --------------------------------------------------------------------------------------------
# Programmes, with the countries and organisations that take part
# --------------------------------------------------------------------------------------------
def prog(id_: str, name: str, kind: str, source: str, as_of: str, conf: str = "reported", *,
         domains: list[str] = (), **props: Any) -> None:
    node("Programme", id_, name, source, as_of, conf, kind=kind, **props)
    for d in domains:
        rel("ACTIVE_IN", id_, d, source, as_of, "inferred")


def part(who: str, programme: str, role: str, source: str, as_of: str, conf: str = "reported") -> None:
    rel("PARTICIPATES_IN", who, programme, source, as_of, conf, role=role)


def build_programmes() -> None:
    f35 = src("P1", "R11", "R12")
    prog("f-35", "F-35 Lightning II", "acquisition", f35, "2019-01-30", status="active", domains=["air"],
         aliases=["JSF", "Joint Strike Fighter"],
         description="US-led fighter programme (prime Lockheed Martin); the Netherlands is one of 9 original partners. "
                     "NL paid EUR 800M towards development; industry repays EUR 105M through a 2% levy; 83 Dutch companies "
                     "and institutes involved (names not public). 46 aircraft ordered by 2019; EUR 1.4bn in contracts by 2019; "
                     "target USD 9bn Dutch turnover by 2045 (more than USD 3bn reached).")
    for who, role, s, d in [("US", "lead", f35, "2019-01-30"), ("NL", "partner", f35, "2019-01-30"),
                            ("lockheed-martin", "prime", src("P1", "R1"), FACTS_DATE),
                            ("f-35-jpo", "lead", src("R6", "R9"), FACTS_DATE),
                            ("gkn-fokker-aerostructures", "contractor", src("R2", "R3"), "2020-09-21"),
                            ("gkn-fokker-elmo", "contractor", src("R1", "R2"), "2020-09-21"),
                            ("gkn-fokker-landing-gear", "contractor", src("R1", "R5", "R6"), "2017"),
                            ("kmwe", "contractor", src("R7", "R8"), "2018"),
                            ("aeronamic", "contractor", src("R9"), FACTS_DATE),
                            ("stork", "contractor", src("R10"), "2006"),
                            ("logistiek-centrum-woensdrecht", "participant", src("P4", "E1"), "2021-12"),
                            ("nidv", "participant", src("A2"), FACTS_DATE),
                            ("commissariaat-militaire-productie", "participant", src("P1"), FACTS_DATE)]:
        part(who, "f-35", role, s, d)
    part("pratt-whitney", "f-35", "contractor", src("R3", "R7"), FACTS_DATE, "inferred")

    dep = src("P2", "P3", "P4", "E2")
    prog("f135-depot", "F135 engine depot Woensdrecht", "sustainment", dep, "2021-10-01", status="active",
         start_year=2014, domains=["air"],
         description="F135 heavy-maintenance depot for the F-35 engine: NL chosen in December 2014 (with Türkiye and Norway); "
                     "first F135 depot outside the US (initial depot capability August 2021), opened 1 October 2021. "
                     "Government-owned, company-operated by StandardAero. The EUR 80-90M hall was funded by Defensie, "
                     "Economic Affairs and Noord-Brabant (budget left empty: only a range is known).")
    for who, role in [("NL", "lead"), ("ministerie-van-defensie", "partner"), ("pratt-whitney", "partner"),
                      ("standardaero-woensdrecht", "contractor"), ("logistiek-centrum-woensdrecht", "participant")]:
        part(who, "f135-depot", role, dep, "2021-10-01")
    for who in ("TR", "NO"):
        part(who, "f135-depot", "participant", src("P4"), "2014-12")

    mmr = src("P5", "P6")
    prog("mmr", "Multi Mission Radar (GM200 MM/C)", "acquisition", mmr, "2024-04", status="active", start_year=2019,
         domains=["land"], aliases=["MMR", "Nederland Radarland"],
         description="Nine Thales GM200 MM/C radars ordered for the Royal Netherlands Army in February 2019 (Defence Industry "
                     "Strategy range EUR 100-250M), seven more plus two options in April 2024; Norway is also a customer. "
                     "'Launching customer' is inferred.")
    for who, role in [("NL", "lead"), ("NO", "customer"), ("dmo", "customer"), ("thales-nederland", "contractor")]:
        part(who, "mmr", role, mmr, "2024-04")

    asw = src("P7", "P7b")
    prog("asw-frigates", "Anti-Submarine Warfare Frigates", "acquisition", asw, "2023-06-29", status="active",
         start_year=2023, domains=["maritime"], aliases=["ASWF", "ASW frigates"],
         description="Four ships (2 NL + 2 BE), 6,400 t, contracted 29 June 2023 with Damen Naval and Thales Nederland; "
                     "first delivery 2028/29. Budget not in the sources.")
    for who, role in [("NL", "lead"), ("BE", "partner"), ("damen-naval", "prime"), ("thales-nederland", "contractor"),
                      ("rh-marine", "contractor")]:
        part(who, "asw-frigates", role, asw, "2023-06-29")

    rmcm = src("P14", "P15", "P15b")
    prog("rmcm", "Replacement Mine Countermeasures (rMCM)", "acquisition", src("P14"), "2019-03-18", status="active",
         start_year=2019, budget_eur=1.853e9, domains=["maritime"], aliases=["rMCM", "vlootvervanging mijnenbestrijding"],
         description="Belgian-led programme for 12 mine-countermeasure ships (6 BE + 6 NL) from Naval Group with ECA (now "
                     "Exail), chosen 15 March 2019. Budget EUR 1.853bn (BE EUR 887M, NL EUR 966M) per [P14]; about EUR 2bn "
                     "per other reports (" + S["P15"] + "). Hulls built by Kership, Concarneau.")
    for who, role in [("BE", "lead"), ("NL", "partner"), ("naval-group", "prime"), ("exail", "partner"),
                      ("kership", "contractor"), ("crist", "contractor")]:
        part(who, "rmcm", role, rmcm, "2023-10")

    orka = src("P9", "P10")
    prog("orka", "Orka submarines", "acquisition", orka, "2024-09-30", status="active", start_year=2024,
         budget_eur=5.65e9, domains=["maritime"], aliases=["Walrus replacement", "vervanging onderzeeboten"],
         description="Four submarines from Naval Group, selected 15 March 2024 (EUR 5.65bn) over TKMS and Saab-Damen. "
                     "Industrial Cooperation Agreement 10 September 2024: about EUR 1bn to 10 Dutch firms (only three named "
                     "publicly). Delivery contract 30 September 2024; first two boats within 10 years.")
    for who, role in [("NL", "lead"), ("naval-group", "prime"), ("thales", "contractor"), ("royal-ihc", "contractor"),
                      ("nevesbu", "contractor"), ("rh-marine", "contractor"), ("dmi", "participant")]:
        part(who, "orka", role, orka, "2024-09-12")

    nnsc = src("P8", "P8b")
    prog("nnsc", "NNSC naval cooperation", "research", nnsc, "2022-11", status="active", start_year=2022,
         domains=["maritime"], aliases=["NNSC"],
         description="Dutch-initiated (DMO) naval cooperation with Germany, Denmark, Norway, Finland and Sweden; letters of "
                     "intent September and November 2022; themes seabed warfare, modular ship design and propulsion.")
    for who, role in [("NL", "lead"), ("DE", "partner"), ("DK", "partner"), ("NO", "partner"), ("FI", "partner"),
                      ("SE", "partner"), ("dmo", "participant")]:
        part(who, "nnsc", role, nnsc, "2022-11")

    prog("f126", "F126 frigates", "acquisition", src("P16"), "2025", status="active", start_year=2020, budget_eur=9e9,
         domains=["maritime"], aliases=["MKS 180"],
         description="German frigate programme, Damen Naval prime with Blohm+Voss and Thales; signed June 2020; delayed. "
                     "Budget EUR 9bn per [P16]; EUR 7bn per " + S["P17"] + ".")
    for who, role in [("DE", "lead"), ("damen-naval", "prime"), ("blohm-voss", "partner"), ("thales-nederland", "partner")]:
        part(who, "f126", role, src("P16", "P17"), "2025")

    prog("future-vertical-lift", "Future Vertical Lift", "development", src("P18"), "2022-07-20", status="active",
         start_year=2022, domains=["air"], aliases=["FVL"],
         description="US Army helicopter development programme; agreement with the Netherlands 20 July 2022, the second "
                     "European partner after the UK.")
    for who, role in [("US", "lead"), ("NL", "partner"), ("GB", "partner")]:
        part(who, "future-vertical-lift", role, src("P18"), "2022-07-20")

    prog("nato-ngrc", "NATO Next Generation Rotorcraft Capability", "development", src("P19"), "2022-06-17",
         status="active", start_year=2022, budget_eur=26.7e6, domains=["air"], aliases=["NGRC"],
         description="NSPA-managed rotorcraft programme; MoU 16 June 2022 by France, Germany, Greece, Italy, the Netherlands "
                     "and the UK; EUR 26.7M for the concept stage.")
    part("nspa", "nato-ngrc", "lead", src("P19"), "2022-06-17")
    for who in ("FR", "DE", "GR", "IT", "NL", "GB"):
        part(who, "nato-ngrc", "partner", src("P19"), "2022-06-17")

    diana = src("P11", "I1", "I2")
    prog("nato-diana", "NATO DIANA", "innovation", diana, "2024-03", status="active", start_year=2022,
         aliases=["DIANA", "Defence Innovation Accelerator for the North Atlantic"],
         description="NATO innovation accelerator, founded 2022, hubs in London and Tallinn; 23 accelerators and 182 test "
                     "centres (March 2024); 2023 cohort of 44 firms, 3 of them Dutch (Dutch sites not public).")
    part("nato", "nato-diana", "lead", diana, "2024-03")
    part("GB", "nato-diana", "participant", diana, "2024-03")
    part("EE", "nato-diana", "participant", diana, "2024-03")
    part("lobster-robotics", "nato-diana", "participant", src("O20", "P11"), "2023-11-30")

    prog("type-31-frigates", "Type 31 frigates", "acquisition", src("O2"), "2019", status="active",
         domains=["maritime"], description="UK frigate programme; Thales Nederland supplies the Tacticos combat management system.")
    part("GB", "type-31-frigates", "lead", src("O2"), "2019", "inferred")
    part("thales-nederland", "type-31-frigates", "contractor", src("O2"), "2019")

    prog("css", "Combat Support Ship (CSS)", "acquisition", src("O4", "K6"), FACTS_DATE, "inferred",
         domains=["maritime"], aliases=["CSS"],
         description="Dutch naval programme named 'CSS' in the sources for Damen Naval and MARIN; the expansion "
                     "'Combat Support Ship' and its status are inferred.")
    part("NL", "css", "lead", src("O4"), FACTS_DATE, "inferred")
    part("damen-naval", "css", "contractor", src("O4", "P7"), FACTS_DATE)
    part("marin", "css", "participant", src("K5", "K6"), FACTS_DATE)


# --------------------------------------------------------------------------------------------
# Instruments
# --------------------------------------------------------------------------------------------
def build_instruments() -> None:
    node("Instrument", "edf", "European Defence Fund", src("I3", "I4", "I7"), "2025-08", "reported",
         aliases=["EDF"], owner="European Union (European Commission)", budget_eur=7.953e9, period="2021-2027",
         description="EUR 7.953bn: EUR 2.7bn research and EUR 5.3bn development [I3]; EUR 7.3bn per the Dutch government "
                     "letter of August 2025 [I4]. Forerunners: PADR EUR 90M and EDIDP 2019 EUR 251M [I7]. The Netherlands "
                     "ranked 6th in the 2021 results.")
    node("Instrument", "edf-nl-cofinancing", "Dutch EDF co-financing", src("I5"), "2023", "reported",
         owner="Ministry of Defence and Ministry of Economic Affairs (NL)", budget_eur=20e6, period="2021-2022",
         description="EUR 20M in the 2021/22 budgets, plus a EUR 500M 'European cooperation' line for 2023-2026. The "
                     "often quoted 'EUR 30M a year' is not verified and not used.")
    node("Instrument", "nato-innovation-fund", "NATO Innovation Fund", src("I8", "I9"), "2023-03-20", "reported",
         aliases=["NIF"], owner="NATO Allies", budget_eur=1e9, period="2023- (15 years)",
         description="EUR 1bn over 15 years; Dutch contribution EUR 55M (the 'EUR 56M' sometimes quoted was not found); "
                     "headquarters in the Netherlands, legal seat in Luxembourg.")
    node("Instrument", "deep-tech-fund", "Deep Tech Fund", src("I10"), "2020-10", "reported",
         aliases=["Deep Tech Fonds"], owner="Ministry of Economic Affairs and Invest-NL", period="2020-",
         description="Announced October 2020 with the Dutch Future Fund and alternative financing (EUR 250M each from the "
                     "ministry and Invest-NL across the three); the Deep Tech Fund's own size is not verified.")
    node("Instrument", "nationaal-groeifonds", "Nationaal Groeifonds", src("I11"), "2020-09-07", "reported",
         aliases=["National Growth Fund"], owner="Ministry of Economic Affairs and Ministry of Finance (NL)",
         budget_eur=20e9, period="2021-2025", description="EUR 20bn (5 x EUR 4bn); projects of at least EUR 30M.")
    node("Instrument", "ipcei", "Important Projects of Common European Interest", src("I12", "I13"), "2023", "reported",
         aliases=["IPCEI"], owner="EU state-aid framework; national funding", period="2022-",
         description="Dutch participation: micro-electronics (ME2) EUR 218.5M (NXP radar/6G, ASML, Nearfield, Thermo "
                     "Fisher); cloud EUR 66.5M; health EUR 44M; hydrogen EUR 35M / EUR 783.5M / EUR 600M.")
    node("Instrument", "pps-toeslag", "PPS-toeslag", src("I14"), "2024", "reported",
         aliases=["PPP allowance", "TKI-toeslag"], owner="Ministry of Economic Affairs / TKIs", period="2013-2024",
         description="Public-private partnership allowance: 25% (30% from 2018) of private cash contributions to research "
                     "organisations; replaced in 2024.")
    node("Instrument", "secfund", "SecFund", src("I6"), "2025-04", "reported", owner="Ministry of Defence, Ministry of "
         "Economic Affairs and regional development agencies (run by BOM)", budget_eur=25e6, period="2025-",
         description="Fund for innovative defence and security firms opened April 2025: EUR 25M growing to EUR 100M; at "
                     "most EUR 5M per firm.")
    rel("FUNDED_BY", "tective", "secfund", src("I6"), "2025-04", "reported")


# --------------------------------------------------------------------------------------------
# Critical raw materials and producing countries
# --------------------------------------------------------------------------------------------
def produces(country: str, material: str, stage: str, share: float | None, source: str, as_of: str, conf: str) -> None:
    rel("PRODUCES", country, material, source, as_of, conf, stage=stage, share_pct=share)


def build_materials() -> None:
    crma = src("M1", "M2")
    minor = "USGS Mineral Commodity Summaries 2024 (not read for this seed; figures approximate);" + S["USGS"]

    node("Material", "gallium", "Gallium", src("M3", "M4", "M5") + ";" + crma, "2024-12", "reported", crma="strategic",
         aliases=["Ga"], defence_use="GaAs and GaN transmit/receive modules in AESA radars",
         description="China about 98% of primary production (USGS 2022, per [M3]; about 80% per CRM Alliance). Chinese "
                     "export licensing from August 2023; ban on exports to the US December 2024. Japan, South Korea and Russia "
                     "produce small amounts (USGS MCS 2024, not read for this seed); they are deliberately not modelled as "
                     "producers because about 2% of world output cannot substitute for China.")
    produces("CN", "gallium", "processing", 98.0, src("M3", "M4"), "2023", "reported")

    node("Material", "germanium", "Germanium", src("M3", "M4", "M6") + ";" + crma, "2023", "reported", crma="strategic",
         aliases=["Ge"], defence_use="Infrared optics and night vision",
         description="China about 60% of production and 68% of refining.")
    produces("CN", "germanium", "extraction", 60.0, src("M3", "M6"), "2023", "reported")
    produces("CN", "germanium", "processing", 68.0, src("M3", "M6"), "2023", "reported")
    produces("RU", "germanium", "extraction", None, minor, "2023", "illustrative")
    produces("BE", "germanium", "processing", None, MODELLED + " (refining in Belgium)", "2023", "illustrative")
    produces("CA", "germanium", "processing", None, MODELLED + " (zinc-refinery by-product in Canada)", "2023", "illustrative")

    node("Material", "rare-earths", "Rare earths (for magnets)", src("M7", "M8", "M2") + ";" + crma, "2024", "reported",
         crma="strategic", aliases=["REE", "rare earth elements", "NdPr", "rare-earth magnets"],
         defence_use="Permanent magnets (NdFeB, SmCo) in actuators, motors and guidance; about 417 kg per F-35",
         description="Nd, Pr, Tb, Dy, Gd, Sm, Ce. China makes about 90-92% of magnets; the EU is 98% dependent on China. "
                     "Mining shares are computed from USGS MCS 2024 tonnages for 2023 as quoted by " + S["REE23"] + ".")
    produces("CN", "rare-earths", "processing", 90.0, src("M7", "M8"), "2024", "reported")
    for c, share in (("CN", 69.0), ("US", 12.0), ("MM", 11.0), ("AU", 5.0), ("TH", 2.0)):
        produces(c, "rare-earths", "extraction", share, src("REE23", "USGS"), "2023", "inferred")

    node("Material", "tungsten", "Tungsten", src("M9") + ";" + crma, "2023", "reported", crma="strategic", aliases=["W"],
         defence_use="Kinetic penetrators and armour-piercing ammunition",
         description="China more than 80% of mine production (2023); share_pct 80 is that lower bound.")
    produces("CN", "tungsten", "extraction", 80.0, src("M9"), "2023", "reported")
    produces("VN", "tungsten", "extraction", 4.0, minor, "2023", "illustrative")
    produces("RU", "tungsten", "extraction", 3.0, minor, "2023", "illustrative")
    produces("AT", "tungsten", "extraction", 1.0, minor, "2023", "illustrative")
    produces("PT", "tungsten", "extraction", 1.0, minor, "2023", "illustrative")

    node("Material", "antimony", "Antimony", src("M10") + ";" + crma, "2024-09-15", "reported", crma="critical",
         aliases=["Sb"], defence_use="Ammunition hardening; armour-piercing and tracer rounds",
         description="China 56% of mine production; Chinese export controls from 15 September 2024.")
    produces("CN", "antimony", "extraction", 56.0, src("M10"), "2024-08-16", "reported")
    produces("TJ", "antimony", "extraction", 20.0, minor, "2023", "illustrative")
    produces("RU", "antimony", "extraction", 7.0, minor, "2023", "illustrative")
    produces("TR", "antimony", "extraction", 2.0, minor, "2023", "illustrative")

    node("Material", "titanium", "Titanium", src("M11", "M11b") + ";" + crma, "2024", "reported", crma="strategic",
         aliases=["Ti", "titanium sponge"], defence_use="Airframes, engines, landing gear and armour",
         description="China 34-36% of titanium minerals and 57-67% of sponge; share_pct holds the lower bounds.")
    produces("CN", "titanium", "extraction", 34.0, src("M11", "M11b"), "2024", "reported")
    produces("CN", "titanium", "processing", 57.0, src("M11", "M11b"), "2024", "reported")
    produces("ZA", "titanium", "extraction", None, minor, "2023", "illustrative")
    produces("AU", "titanium", "extraction", None, minor, "2023", "illustrative")
    produces("MZ", "titanium", "extraction", None, minor, "2023", "illustrative")
    produces("JP", "titanium", "processing", 17.0, minor, "2023", "illustrative")
    produces("RU", "titanium", "processing", 10.0, minor, "2023", "illustrative")
    produces("KZ", "titanium", "processing", 5.0, minor, "2023", "illustrative")

    node("Material", "magnesium", "Magnesium", src("M2") + ";" + crma, "2024", "reported", crma="strategic",
         aliases=["Mg"], defence_use="Light alloys (use inferred)",
         description="The EU is 93% dependent on China for magnesium metal (an import share, not a world-production share, "
                     "so China's share_pct is left empty).")
    produces("CN", "magnesium", "processing", None, src("M2"), "2024", "reported")
    produces("IL", "magnesium", "processing", None, minor, "2023", "illustrative")
    produces("RU", "magnesium", "processing", None, minor, "2023", "illustrative")
    produces("TR", "magnesium", "processing", None, minor, "2023", "illustrative")

    node("Material", "cobalt", "Cobalt", src("M12", "M13") + ";" + crma, "2024", "reported", crma="strategic",
         aliases=["Co"], defence_use="Engine superalloys; SmCo magnets; battery cathodes",
         description="DR Congo more than 70% of mine production; China 76% of refining.")
    produces("CD", "cobalt", "extraction", 70.0, src("M12", "M13"), "2024", "reported")
    produces("CN", "cobalt", "processing", 76.0, src("M12", "M13"), "2024", "reported")
    produces("ID", "cobalt", "extraction", 7.0, minor, "2023", "illustrative")
    produces("AU", "cobalt", "extraction", 2.0, minor, "2023", "illustrative")
    produces("FI", "cobalt", "processing", None, MODELLED + " (cobalt refining in Finland)", "2023", "illustrative")


# --------------------------------------------------------------------------------------------
# Ecosystems
# --------------------------------------------------------------------------------------------
def build_ecosystems() -> None:
    mv = src("E1", "E3", "P4")
    node("Ecosystem", "maintenance-valley", "Maintenance Valley", mv, "2021-12", "reported", region="Woensdrecht",
         aliases=["Maintenance Valley Woensdrecht", "Aviolanda"],
         description="Aviation maintenance cluster around Woensdrecht / Aviolanda (and Tilburg); concept from the late 1990s.")
    rel("MEMBER_OF", "logistiek-centrum-woensdrecht", "maintenance-valley", mv, "2021-12", "reported")
    rel("MEMBER_OF", "standardaero-woensdrecht", "maintenance-valley", src("E1", "P2"), "2021-12", "inferred")
    rel("MEMBER_OF", "gkn-fokker-elmo", "maintenance-valley", src("R1", "E3"), FACTS_DATE, "inferred")

    mmv = src("P12")
    node("Ecosystem", "maritime-maintenance-valley", "Maritime Maintenance Valley", mmv, "2024-07-17", "reported",
         region="Den Helder", aliases=["MMV"],
         description="Naval maintenance cluster at Den Helder; letter of intent signed 17 July 2024.")
    for who in ("royal-netherlands-navy", "dmi", "damen-shiprepair-conversion", "rh-marine", "royal-ihc", "thales-nederland"):
        rel("MEMBER_OF", who, "maritime-maintenance-valley", mmv, "2024-07-17", "reported")

    born = src("P13", "P13b", "O19")
    node("Ecosystem", "born-production-site", "Born production site", born, "2025-10-07", "reported",
         region="Born (Limburg)",
         description="Defence production site for drones (and munitions) at Born with VDL: 120,000 m2, lease of at least "
                     "10 years; Limburg contributes EUR 15M and VDL EUR 10M. Modelled as an ecosystem, not a programme.")
    for who in ("vdl-groep", "deltaquad", "tulip-tech", "ministerie-van-defensie"):
        rel("MEMBER_OF", who, "born-production-site", born, "2025-10-07", "reported")

    # Associations as membership targets are not in the sources; none are modelled.


# --------------------------------------------------------------------------------------------
# Items and supply relations
# --------------------------------------------------------------------------------------------
ITEMS: dict[str, tuple[str, str]] = {}


def item(id_: str, name: str, kind: str, source: str, as_of: str, conf: str, description: str | None = None) -> None:
    node("Item", id_, name, source, as_of, conf, kind=kind, description=description)


def supplies(a: str, b: str, item_id: str, source: str, as_of: str, conf: str) -> None:
    rel("SUPPLIES", a, b, source, as_of, conf, item=item_id)


def build_supply() -> None:
    ill = "Illustrative: modelled to exercise the analyses; not a claim about the real supply chain."
    # ---- F-35: Lockheed Martin airframe, Pratt & Whitney engine, Dutch tier-1/2 ----
    item("f-35-aircraft", "F-35 aircraft", "system", src("P1"), FACTS_DATE, "inferred")
    supplies("lockheed-martin", "f-35", "f-35-aircraft", src("P1", "R1"), FACTS_DATE, "inferred")
    item("f135-engine", "F135 engine", "subsystem", src("R3", "R7"), FACTS_DATE, "inferred")
    supplies("pratt-whitney", "f-35", "f135-engine", src("R3", "R7"), FACTS_DATE, "inferred")
    item("wiring-harnesses", "F-35 wiring harnesses", "component", src("R1", "R2"), "2020-09-21", "reported",
         "Production moved from Izmir (Türkiye) to the Netherlands in 2020.")
    supplies("gkn-fokker-elmo", "lockheed-martin", "wiring-harnesses", src("R1", "R2"), "2020-09-21", "reported")
    item("composite-skins", "F-35 composite skins", "component", src("R2"), "2020-09-21", "reported")
    supplies("gkn-fokker-aerostructures", "northrop-grumman", "composite-skins", src("R2"), "2020-09-21", "reported")
    item("center-fuselage", "F-35 centre fuselage", "subsystem", MODELLED, FACTS_DATE, "illustrative", ill)
    supplies("northrop-grumman", "lockheed-martin", "center-fuselage", MODELLED, FACTS_DATE, "illustrative")
    item("f135-composite-parts", "F135 composite engine parts", "component", src("R3"), FACTS_DATE, "reported")
    supplies("gkn-fokker-aerostructures", "pratt-whitney", "f135-composite-parts", src("R3"), FACTS_DATE, "reported")
    item("f-35-landing-gear", "F-35 landing gear", "subsystem", src("R1", "R5"), FACTS_DATE, "reported")
    supplies("gkn-fokker-landing-gear", "lockheed-martin", "f-35-landing-gear", src("R1", "R5"), FACTS_DATE, "reported")
    item("f-35c-arresting-hook", "F-35C arresting hook", "component", src("R5"), FACTS_DATE, "reported")
    supplies("gkn-fokker-landing-gear", "lockheed-martin", "f-35c-arresting-hook", src("R5"), FACTS_DATE, "reported")
    item("landing-gear-mro", "F-35 landing-gear MRO (Europe and Pacific)", "service", src("R6"), "2017", "reported")
    supplies("gkn-fokker-landing-gear", "f-35-jpo", "landing-gear-mro", src("R6"), "2017", "reported")
    item("f135-nozzle-parts", "F135 exhaust nozzle parts", "component", src("R7", "R8"), "2018", "reported",
         "Ten-year deal from 2018.")
    supplies("kmwe", "pratt-whitney", "f135-nozzle-parts", src("R7", "R8"), "2018", "reported")
    item("f-35-component-maintenance", "F-35 component maintenance", "service", src("R9"), FACTS_DATE, "reported")
    supplies("aeronamic", "f-35-jpo", "f-35-component-maintenance", src("R9"), FACTS_DATE, "reported")
    item("flaperons", "F-35 flaperons", "subsystem", src("R10"), "2006", "reported", "At least USD 170M (2006).")
    supplies("stork", "f-35", "flaperons", src("R10"), "2006", "reported")
    # F135 depot: StandardAero runs it; Pratt & Whitney parts are modelled
    item("f135-engine-mro", "F135 engine MRO", "service", src("P2", "P3"), "2021-10-01", "reported")
    supplies("standardaero-woensdrecht", "f135-depot", "f135-engine-mro", src("P2", "P3"), "2021-10-01", "reported")
    item("f135-spare-parts", "F135 spare parts", "component", MODELLED, FACTS_DATE, "illustrative", ill)
    supplies("pratt-whitney", "standardaero-woensdrecht", "f135-spare-parts", MODELLED, FACTS_DATE, "illustrative")

    # ---- Multi Mission Radar and Thales Nederland ----
    item("gm200-mmc-radar", "GM200 MM/C radar", "system", src("P5", "P6"), "2024-04", "reported",
         "16 radars for the Royal Netherlands Army (9 in 2019, 7 more in 2024).")
    supplies("thales-nederland", "mmr", "gm200-mmc-radar", src("P5", "P6"), "2024-04", "reported")
    item("gan-mmics", "GaN radar MMICs", "component", MODELLED, FACTS_DATE, "illustrative",
         ill + " The Dutch and other suppliers to Thales Nederland radars are not public.")
    supplies("thales", "thales-nederland", "gan-mmics", MODELLED, FACTS_DATE, "illustrative")

    # ---- ASW frigates ----
    asw = src("P7", "P7b")
    item("frigate-platform", "Frigate platform (design and build)", "system", asw, "2023-06-29", "reported")
    supplies("damen-naval", "asw-frigates", "frigate-platform", asw, "2023-06-29", "reported")
    supplies("damen-naval", "f126", "frigate-platform", src("P16", "P17"), "2025", "reported")
    for iid, name in (("apar-block-2", "APAR Block 2 radar"), ("sm400-block-2", "SM400 Block 2 radar"),
                      ("mirador", "Mirador electro-optical sensor"), ("gatekeeper", "Gatekeeper electro-optical surveillance")):
        item(iid, name, "system", asw, "2023-06-29", "reported")
        supplies("thales-nederland", "asw-frigates", iid, asw, "2023-06-29", "reported")
    item("tacticos-cms", "Tacticos combat management system", "system", src("O2"), "2019", "reported")
    supplies("thales-nederland", "type-31-frigates", "tacticos-cms", src("O2"), "2019", "reported")
    supplies("thales-nederland", "asw-frigates", "tacticos-cms", MODELLED, "2023-06-29", "illustrative")
    for iid, name in (("ipms", "Integrated platform management system (IPMS)"),
                      ("integrated-bridge", "Integrated bridge system"),
                      ("mission-management-system", "Mission management system")):
        item(iid, name, "subsystem", asw, "2023-06-29", "reported")
        # customer per the source: Damen Naval for the ASWF; attached to the programme so that other Damen Naval
        # programmes (F126, CSS) do not inherit the dependency
        supplies("rh-marine", "asw-frigates", iid, asw, "2023-06-29", "reported")
    item("asw-sonar-suite", "ASW frigate sonar suite", "subsystem", MODELLED, FACTS_DATE, "illustrative",
         ill + " A need with no known supplier (other ASWF suppliers are not public): a coverage gap.")
    rel("REQUIRES", "asw-frigates", "asw-sonar-suite", MODELLED, FACTS_DATE, "illustrative")

    # ---- Orka submarines ----
    orka = src("P9", "P9b")
    item("submarines", "Submarines", "system", src("P9", "P10"), "2024-09-30", "reported")
    supplies("naval-group", "orka", "submarines", src("P9", "P10"), "2024-09-30", "reported")
    item("sonar-suite", "Submarine sonar suite", "subsystem", orka, "2024-09-12", "reported")
    supplies("thales", "orka", "sonar-suite", orka, "2024-09-12", "reported")
    item("submarine-steel-modules", "Submarine steel modules", "subsystem", orka, "2024-09-12", "reported")
    supplies("royal-ihc", "orka", "submarine-steel-modules", orka, "2024-09-12", "reported")
    item("submarine-subsystem-design", "Submarine subsystem design", "service", orka, "2024-09-12", "reported")
    supplies("nevesbu", "orka", "submarine-subsystem-design", orka, "2024-09-12", "reported")
    item("submarine-batteries", "Submarine batteries", "subsystem", MODELLED, FACTS_DATE, "illustrative",
         ill + " A need with no public supplier: a coverage gap.")
    rel("REQUIRES", "orka", "submarine-batteries", MODELLED, FACTS_DATE, "illustrative")

    # ---- rMCM ----
    item("mcm-vessels", "Mine-countermeasure vessels", "system", src("P14"), "2019-03-18", "reported")
    supplies("naval-group", "rmcm", "mcm-vessels", src("P14"), "2019-03-18", "reported")
    item("mcm-drone-systems", "Mine-countermeasure drone systems", "system", src("P14"), "2019-03-18", "inferred",
         "ECA (now Exail) is Naval Group's partner in rMCM; that it supplies the drone systems is inferred.")
    supplies("exail", "rmcm", "mcm-drone-systems", src("P14"), "2019-03-18", "inferred")
    item("hull-construction", "Hull construction", "service", src("P15", "P15b"), "2023-10", "reported")
    supplies("kership", "rmcm", "hull-construction", src("P15", "P15b"), "2023-10", "reported")
    item("steel-cutting", "Steel cutting", "service", src("P15"), "2023-10", "reported")
    supplies("crist", "rmcm", "steel-cutting", src("P15"), "2023-10", "reported")

    # ---- Night vision and optronics ----
    item("image-intensifier-tubes", "Image-intensifier tubes", "component", src("O9"), "2024", "reported",
         "More than 200,000 tubes (EUR 500M) for the German and Belgian armies, from Roden (NL) and Brive (FR).")
    supplies("photonis-netherlands", "theon", "image-intensifier-tubes", src("O9"), "2024", "reported")
    supplies("exosens", "theon", "image-intensifier-tubes", src("O9"), "2024", "reported")  # Brive site: dual source
    item("night-vision-equipment", "Night-vision equipment", "system", src("O8"), FACTS_DATE, "reported",
         "Seven-year contract with the DMO.")
    supplies("photonis-netherlands", "dmo", "night-vision-equipment", src("O8"), FACTS_DATE, "reported")
    item("periscope-assemblies", "Periscope assemblies", "subsystem", src("R15"), "2025", "reported",
         "Letter of intent for joint production of submarine periscopes.")
    supplies("nedinsco", "hensoldt", "periscope-assemblies", src("R15"), "2025", "reported")

    # ---- Drones ----
    item("drone-battery-packs", "Drone battery packs", "component", src("O19"), "2025", "reported")
    supplies("tulip-tech", "deltaquad", "drone-battery-packs", src("O19"), "2025", "reported")

    # ---- Raw materials used (all illustrative: the facts name no firm's sourcing) ----
    for who, mat, purpose in (
        ("thales-nederland", "gallium", "GaN/GaAs transmit/receive modules in AESA radars"),
        ("thales", "gallium", "GaN MMICs for radars"),
        ("thales-nederland", "germanium", "infrared optics in electro-optical sensors"),
        ("photonis-netherlands", "germanium", "night-vision optics (the facts list germanium for night vision)"),
        ("nedinsco", "germanium", "infrared optics in vision systems and periscopes"),
        ("lockheed-martin", "rare-earths", "permanent magnets (about 417 kg of rare earths per F-35)"),
        ("naval-group", "rare-earths", "permanent-magnet motors and actuators"),
        ("deltaquad", "rare-earths", "brushless motor magnets"),
        ("pratt-whitney", "cobalt", "engine superalloys"),
        ("pratt-whitney", "titanium", "engine parts"),
        ("gkn-fokker-landing-gear", "titanium", "landing-gear parts"),
        ("gkn-fokker-aerostructures", "titanium", "airframe parts"),
        ("tulip-tech", "cobalt", "lithium-ion battery cathodes"),
    ):
        rel("USES_MATERIAL", who, mat, MODELLED, FACTS_DATE, "illustrative", purpose=purpose)


# --------------------------------------------------------------------------------------------
# Ownership (control)
# --------------------------------------------------------------------------------------------
def owned(a: str, b: str, source: str, as_of: str, conf: str, share: float | None = None) -> None:
    rel("OWNED_BY", a, b, source, as_of, conf, share_pct=share)


def build_ownership() -> None:
    owned("thales-nederland", "thales", src("O1", "O3"), "2024-03", "reported")
    # A minority stake (about a quarter of the capital): recorded without a share, a lone owner
    # would read as a wholly owning parent and make the French state Thales's ultimate parent.
    owned("thales", "FR", MODELLED + " (French state minority shareholding in Thales, about a quarter)", FACTS_DATE,
          "illustrative", share=25.7)
    owned("damen-naval", "damen-shipyards-group", src("O4"), FACTS_DATE, "reported")
    owned("damen-shiprepair-conversion", "damen-shipyards-group", src("P12"), "2024-07-17", "inferred")
    for owner in ("hal-investments", "ackermans-van-haaren", "merweoord", "huisman"):
        owned("royal-ihc", owner, src("O5"), "2020-05", "reported")  # shares not public
    for unit in ("gkn-fokker-aerostructures", "gkn-fokker-elmo", "gkn-fokker-landing-gear"):
        owned(unit, "gkn-aerospace", src("O6", "O7", "R2"), "2020-09-21", "reported")
    owned("gkn-aerospace", "melrose", src("O7"), "2018", "reported")
    owned("standardaero-woensdrecht", "standardaero", src("P2", "P3"), "2021-10-01", "reported")
    owned("photonis-netherlands", "exosens", src("O9", "O9w"), "2023-09", "reported")
    owned("nedinsco", "hensoldt", src("O11"), "2025", "inferred")  # deal pending, closing expected mid-2026
    owned("patria-netherlands", "patria", src("O12", "O13"), "2022", "reported")
    owned("patria", "FI", MODELLED + " (Finnish state majority in Patria)", FACTS_DATE, "illustrative", 50.1)
    owned("patria", "kongsberg", MODELLED + " (Kongsberg minority in Patria)", FACTS_DATE, "illustrative", 49.9)
    owned("visser-bv", "ziegler", src("O14"), "2023", "reported")
    owned("ziegler", "cimc", src("O14"), "2023", "reported")
    owned("cimc", "CN", src("O14"), "2023", "inferred")  # 'state-controlled' per O14; the holding structure is not
    owned("fox-it", "ncc-group", src("O15"), "2020", "reported")
    owned("aac-hyperion", "aac-clyde-space", src("O23"), "2021-02-19", "reported")
    owned("airbus-ds-netherlands", "airbus", src("O21"), "2017-10-13", "reported")
    owned("naval-group", "FR", src("P9", "P10"), "2024-03-15", "reported", 62.5)
    owned("naval-group", "thales", MODELLED + " (Thales minority in Naval Group)", FACTS_DATE, "illustrative", 35.0)


def build() -> Dataset:
    NODES.clear()
    RELS.clear()
    build_countries()
    build_taxonomy()
    build_organisations()
    build_programmes()
    build_instruments()
    build_materials()
    build_ecosystems()
    build_supply()
    build_ownership()
    return Dataset(load_schema(), {n.id: n for n in NODES}, list(RELS), "seed")


def main(target: Path = ROOT / "seed") -> None:
    dataset = build()
    if len(dataset.nodes) != len(NODES):
        raise SystemExit("duplicate node ids in the build script")
    with tempfile.TemporaryDirectory() as tmp:
        write_dataset(dataset, tmp)
        checked = read_dataset(tmp)      # validates everything; raises DatasetError listing all issues
    write_dataset(checked, target)       # canonical form of the validated dataset
    print(f"wrote {target}: {len(checked.nodes)} nodes, {len(checked.rels)} relationships")


if __name__ == "__main__":
    main()
