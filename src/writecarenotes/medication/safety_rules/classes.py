"""A small curated map of drug classes and synonyms, shared by the allergy and duplicate-therapy checks.

A product's ingredients carry their classes (``MedicineIngredient.classes``, entered with the product);
``INGREDIENT_CLASSES`` adds the class of common ingredients so a product entered without its classes is
still matched (amoxicillin is a penicillin, naproxen an NSAID). ``SYNONYMS`` turns what people write on
an allergy record into the words used here ("penicillins", "NSAIDs", "non-steroidal anti-inflammatory
drugs", "acetaminophen"). Matching ignores case, punctuation and a plural "s".

This map is NOT complete. It covers the classes most often recorded as allergies in care homes and the
classes of the curated interaction rules (``interactions``); an allergy it cannot place is matched by
name only, and the nurse still checks the allergy list (NICE CG183 1.2.13: check the drug allergy status
before prescribing, dispensing or administering any drug). A licensed knowledge base (dm+d with a
clinical decision support product) can replace it through the interaction checker setting.
"""

from __future__ import annotations

import re

__all__ = [
    "DO_NOT_DUPLICATE",
    "INGREDIENT_CLASSES",
    "SYNONYMS",
    "classes_of",
    "normalise",
    "term_matches",
]

#: class -> ingredients (lower-case approved names, the base without the salt)
_CLASS_MEMBERS: dict[str, tuple[str, ...]] = {
    "penicillin": (
        "amoxicillin",
        "ampicillin",
        "benzylpenicillin",
        "phenoxymethylpenicillin",
        "flucloxacillin",
        "co-amoxiclav",
        "piperacillin",
        "pivmecillinam",
        "temocillin",
    ),
    "cephalosporin": ("cefalexin", "cefuroxime", "ceftriaxone", "cefixime", "cefradine", "cefaclor"),
    "macrolide": ("clarithromycin", "erythromycin", "azithromycin"),
    "sulfonamide": ("sulfamethoxazole", "co-trimoxazole", "sulfasalazine"),
    "nsaid": (
        "ibuprofen",
        "naproxen",
        "diclofenac",
        "celecoxib",
        "etoricoxib",
        "meloxicam",
        "mefenamic acid",
        "indometacin",
        "ketoprofen",
        "piroxicam",
        "nabumetone",
        "etodolac",
    ),
    "opioid": (
        "codeine",
        "dihydrocodeine",
        "morphine",
        "oxycodone",
        "fentanyl",
        "buprenorphine",
        "tramadol",
        "tapentadol",
        "diamorphine",
        "methadone",
        "hydromorphone",
    ),
    "anticoagulant": (
        "warfarin",
        "apixaban",
        "rivaroxaban",
        "edoxaban",
        "dabigatran",
        "heparin",
        "enoxaparin",
        "dalteparin",
        "tinzaparin",
        "acenocoumarol",
        "phenindione",
    ),
    "vitamin k antagonist": ("warfarin", "acenocoumarol", "phenindione"),
    "ssri": ("citalopram", "escitalopram", "fluoxetine", "paroxetine", "sertraline", "fluvoxamine"),
    "ace inhibitor": (
        "ramipril",
        "lisinopril",
        "enalapril",
        "perindopril",
        "captopril",
        "fosinopril",
        "quinapril",
        "trandolapril",
        "imidapril",
    ),
    "angiotensin ii receptor blocker": (
        "losartan",
        "candesartan",
        "irbesartan",
        "valsartan",
        "olmesartan",
        "telmisartan",
    ),
    "potassium-sparing diuretic": ("spironolactone", "eplerenone", "amiloride", "triamterene"),
    "statin": ("simvastatin", "atorvastatin", "rosuvastatin", "pravastatin", "fluvastatin"),
    "benzodiazepine": (
        "diazepam",
        "lorazepam",
        "temazepam",
        "midazolam",
        "clonazepam",
        "nitrazepam",
        "oxazepam",
        "chlordiazepoxide",
    ),
}

INGREDIENT_CLASSES: dict[str, frozenset[str]] = {}
for _cls, _members in _CLASS_MEMBERS.items():
    for _m in _members:
        INGREDIENT_CLASSES[_m] = INGREDIENT_CLASSES.get(_m, frozenset()) | {_cls}

#: what people write -> the word used here (after ``normalise``)
SYNONYMS: dict[str, str] = {
    "penicillin": "penicillin",
    "penicillin antibiotic": "penicillin",
    "nsaid": "nsaid",
    "non-steroidal anti-inflammatory": "nsaid",
    "non-steroidal anti-inflammatory drug": "nsaid",
    "non steroidal anti inflammatory": "nsaid",
    "non steroidal anti inflammatory drug": "nsaid",
    "nonsteroidal anti-inflammatory drug": "nsaid",
    "anti-inflammatory": "nsaid",
    "opiate": "opioid",
    "opioid analgesic": "opioid",
    "acetaminophen": "paracetamol",
    "sulphonamide": "sulfonamide",
    "sulpha": "sulfonamide",
    "sulfa": "sulfonamide",
    "sulpha drug": "sulfonamide",
    "sulfa drug": "sulfonamide",
    "cephalosporin": "cephalosporin",
    "macrolide": "macrolide",
    "ace inhibitor": "ace inhibitor",
    "statin": "statin",
    "benzodiazepine": "benzodiazepine",
}

#: classes two active orders should not both contain, with the source (same ingredient is always checked)
DO_NOT_DUPLICATE: dict[str, str] = {
    "nsaid": "BNF, non-steroidal anti-inflammatory drugs: avoid giving two or more NSAIDs together "
    "(more gastro-intestinal bleeding and ulceration, no more benefit)",
    "anticoagulant": "BNF interactions: two anticoagulants together increase the risk of bleeding; "
    "NPSA Patient Safety Alert 18, Actions that can make anticoagulant therapy safer (2007)",
}
# Opioids are left out of DO_NOT_DUPLICATE on purpose: a regular opioid with a "when required" one for
# breakthrough pain is usual practice (the same ingredient twice is still flagged).

_SALTS = {
    "sulfate",
    "sulphate",
    "phosphate",
    "hydrochloride",
    "sodium",
    "potassium",
    "calcium",
    "acetate",
    "tartrate",
    "citrate",
    "maleate",
    "mesilate",
    "fumarate",
    "succinate",
    "bromide",
    "besilate",
    "hyclate",
    "dihydrate",
    "monohydrate",
    "trihydrate",
}


def _singular(word: str) -> str:
    if len(word) > 4 and word.endswith("s") and not word.endswith(("ss", "us", "is")):
        return word[:-1]
    return word


def normalise(text: str) -> str:
    """Lower case, punctuation to spaces (hyphens kept inside words), plural "s" dropped per word."""
    words = re.sub(r"[^a-z0-9\- ]+", " ", (text or "").lower().replace("/", " ")).split()
    return " ".join(_singular(w.strip("-")) for w in words if w.strip("-"))


def base_name(ingredient: str) -> str:
    """The ingredient without its salt: "codeine phosphate" -> "codeine", "morphine sulfate" -> "morphine"."""
    words = [w for w in normalise(ingredient).split() if w not in _SALTS]
    return " ".join(words) or normalise(ingredient)


def classes_of(ingredient: str, recorded=()) -> frozenset[str]:
    """The classes of an ingredient: those recorded on the product plus the curated ones."""
    base = base_name(ingredient)
    return frozenset(normalise(c) for c in recorded if c) | INGREDIENT_CLASSES.get(base, frozenset())


def canonical(term: str) -> str:
    t = normalise(term)
    return SYNONYMS.get(t, t)


def term_matches(term: str, name: str) -> bool:
    """True when the written ``term`` names ``name`` (an ingredient, class or product name): equal after
    normalising, or every word of the term is a word of the name ("codeine" ~ "codeine phosphate")."""
    t, n = canonical(term), normalise(name)
    if not t or not n:
        return False
    if t == n or t == canonical(name):
        return True
    words = set(n.split())
    return all(w in words for w in t.split())
