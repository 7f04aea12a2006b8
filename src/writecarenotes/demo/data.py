"""Synthetic data of the demo organisation. Every person, home and number here is invented.

E-mail addresses use example.org (reserved for documentation by RFC 2606); NHS numbers come from
the 999 range that NHS England sets aside for test data and never issues to patients.
"""

from __future__ import annotations

ORGANISATION = {"name": "Bryn & Oak Care Group", "slug": "demo-bryn-and-oak"}
EMAIL_DOMAIN = "demo.example.org"

# Units: (name, description, [(room number, beds, en_suite), ...]); beds add up to registered_beds.
_OAK_GROUND = [(str(n), 2 if n in (4, 11) else 1, n not in (1, 2)) for n in range(1, 19)]
_OAK_FIRST = [(str(100 + n), 2 if n in (6, 14) else 1, n != 18) for n in range(1, 19)]
_CELYN_GROUND = [(str(n), 2 if n == 5 else 1, n % 3 != 0) for n in range(1, 12)]
_CELYN_FIRST = [(str(100 + n), 2 if n == 8 else 1, n % 4 == 0) for n in range(1, 12)]

HOMES = [
    {
        "key": "oak",
        "name": "Oak Lodge Nursing Home",
        "nation": "england",
        "regulator": "cqc",
        "registration_number": "1-1029384756",
        "care_type": "nursing",
        "registered_beds": 40,
        "address": "14 Chestnut Avenue, Oakbury, Shropshire (fictional)",
        "units": [
            ("Ground floor – nursing", "General nursing, 24-hour registered nurse cover", _OAK_GROUND),
            ("First floor – dementia nursing", "Nursing care for people living with dementia", _OAK_FIRST),
        ],
        "residents": {"in_residence": 36, "temporarily_absent": 1, "enquiry": 1},
    },
    {
        "key": "celyn",
        "name": "Tŷ Celyn Residential Home",
        "nation": "wales",
        "regulator": "ciw",
        "registration_number": "SIN-00012345-CELN",
        "care_type": "residential",
        "registered_beds": 24,
        "address": "Ffordd y Llan, Llanfair Celyn, Powys (fictional)",
        "units": [
            ("Llawr gwaelod / Ground floor", "Gofal preswyl / Residential care", _CELYN_GROUND),
            ("Llawr cyntaf / First floor", "Gofal preswyl / Residential care", _CELYN_FIRST),
        ],
        "residents": {"in_residence": 21, "temporarily_absent": 1, "enquiry": 0},
    },
]

# Staff and others: (role, full name, e-mail local part, homes). homes=None: organisation-level role.
USERS = [
    ("provider_admin", "Helen Ashcroft", "admin", None),
    ("finance", "Priya Shah", "finance", None),
    ("hr", "Owen Matthews", "hr", None),
    ("registered_manager", "Sarah Whitfield", "rm.oak", ["oak"]),
    ("registered_manager", "Eleri Prys", "rm.celyn", ["celyn"]),
    ("deputy_manager", "Tom Brennan", "deputy", ["oak", "celyn"]),
    ("nurse", "Grace Okafor", "nurse.oak", ["oak"]),
    ("senior_carer", "Jamie Clarke", "senior.oak", ["oak"]),
    ("senior_carer", "Ffion Roberts", "senior.celyn", ["celyn"]),
    ("carer", "Daniel Price", "carer.oak", ["oak"]),
    ("carer", "Rhodri Lloyd", "carer.celyn", ["celyn"]),
    ("maintenance", "Mike Turner", "maintenance.oak", ["oak"]),
    ("kitchen", "Linda Marsh", "kitchen.oak", ["oak"]),
    ("activities", "Chloe Bennett", "activities.oak", ["oak"]),
    ("family", "Susan Taylor", "family.oak", ["oak"]),
    ("inspector", "Robert Lane", "inspector.oak", ["oak"]),
]

# Names common among people born 1925-1950, by region.
# fmt: off
ENGLISH_NAMES = {
    "female": [
        "Margaret", "Joan", "Dorothy", "Betty", "Irene", "Doris", "Joyce", "Sheila", "Audrey", "Jean",
        "Patricia", "Barbara", "Eileen", "Kathleen", "Mary", "Elsie", "Vera", "Edna", "Pamela", "Sylvia",
    ],
    "male": [
        "Arthur", "Harold", "Albert", "Kenneth", "Frank", "George", "Ronald", "Dennis", "Stanley",
        "Leonard", "Bernard", "Eric", "Raymond", "Norman", "Derek", "Peter", "John", "Alan",
    ],
    "middle": ["Ann", "Mary", "Rose", "May", "Elizabeth", "James", "William", "Edward", "Thomas", "Joseph"],
    "family": [
        "Smith", "Taylor", "Brown", "Wilson", "Walker", "Wright", "Robinson", "Thompson", "Green", "Hall",
        "Clarke", "Jackson", "Wood", "Harris", "Turner", "Cooper", "Hill", "Ward", "Baker", "Fletcher",
        "Ashworth", "Holt", "Bradley", "Shaw", "Webb", "Payne", "Pearson", "Hodgson", "Lambert", "Mellor",
    ],
}
WELSH_NAMES = {
    "female": [
        "Gwenllian", "Nia", "Eirlys", "Megan", "Glenys", "Myfanwy", "Rhiannon", "Olwen", "Bronwen",
        "Ceridwen", "Eluned", "Gwyneth", "Mair", "Menna", "Nest", "Siân", "Morfudd", "Dilys",
    ],
    "male": [
        "Dafydd", "Gwilym", "Emrys", "Ieuan", "Iorwerth", "Gareth", "Rhys", "Huw", "Dewi", "Aled",
        "Islwyn", "Bryn", "Elfed", "Geraint", "Idris", "Wyn", "Alun", "Tudur",
    ],
    "middle": ["Ann", "Wyn", "Mai", "Haf", "Glyn", "Rhys", "Elis", "Llywelyn"],
    "family": [
        "Jones", "Williams", "Davies", "Evans", "Thomas", "Roberts", "Hughes", "Lewis", "Morgan",
        "Griffiths", "Pritchard", "Rees", "Owen", "Parry", "Prosser", "Lloyd", "Vaughan", "Powell",
        "Bevan", "Llewellyn",
    ],
}
# Names often used instead of the legal given name.
PREFERRED = {"Margaret": "Peggy", "Dorothy": "Dot", "Kathleen": "Kath", "Gwenllian": "Gwen", "Leonard": "Len",
             "Ronald": "Ron", "Iorwerth": "Iori", "Dafydd": "Dai", "Patricia": "Pat", "Bernard": "Bernie"}
# fmt: on
