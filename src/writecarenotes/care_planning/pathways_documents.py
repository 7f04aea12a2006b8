"""The pathway documents, declared as data: each document's sections and fields, where it comes from,
and one checker (``clean_values``) used by the page forms and the API alike.

Field kinds: ``text`` (one line), ``textarea``, ``choice`` (one of), ``multi`` (several of), ``bool``,
``date`` (ISO yyyy-mm-dd), ``phone``. Unknown keys are refused; a required field must have a value.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date

from django.utils.translation import gettext_lazy as _

from writecarenotes.care_planning.models.pathways import DocumentKind, Pathway

TEXT_MAX, TEXTAREA_MAX = 200, 5000
_PHONE = re.compile(r"^\+?[0-9 ()-]{6,30}$")


@dataclass(frozen=True)
class FieldSpec:
    key: str
    label: str
    kind: str = "textarea"
    required: bool = False
    help: str = ""
    choices: tuple[tuple[str, str], ...] = ()
    section: str = ""


@dataclass(frozen=True)
class DocumentSpec:
    kind: str
    pathway: str
    title: str
    purpose: str
    source: str
    fields: tuple[FieldSpec, ...]
    #: may be written after the resident died (care after death, bereavement support)
    after_death: bool = False
    printable: bool = False
    extra: dict = field(default_factory=dict)

    def field(self, key: str) -> FieldSpec | None:
        return next((f for f in self.fields if f.key == key), None)

    def sections(self) -> list[tuple[str, list[FieldSpec]]]:
        out: list[tuple[str, list[FieldSpec]]] = []
        for f in self.fields:
            if not out or out[-1][0] != str(f.section):
                out.append((str(f.section), []))
            out[-1][1].append(f)
        return out


def F(key, label, kind="textarea", **kw) -> FieldSpec:  # noqa: N802  (a short constructor for the tables)
    return FieldSpec(key=key, label=label, kind=kind, **kw)


PLACES = (
    ("this_home", _("Here, in the care home")),
    ("hospital", _("Hospital")),
    ("hospice", _("Hospice")),
    ("family_home", _("A family member's home")),
    ("other", _("Somewhere else (say where)")),
    ("not_discussed", _("Not discussed yet")),
    ("declined", _("The person did not want to say")),
)

#: "This is me": the first three headings were checked against a published completion guide (Bright
#: Horizons, "Guide to completing This is Me": name I like to be called; where I live, the area not the
#: address; carer / the person who knows me best); the others are the leaflet's sections as listed in
#: the work brief (background and culture, interests, routines, worries, what makes me feel better,
#: hearing and eyesight, communication, mobility, sleeping, personal care, eating and drinking,
#: medication). UNVERIFIED after a search (search tool, corpora pages/docs/code): the current leaflet
#: itself (alzheimers.org.uk, "This is me", Alzheimer's Society with the Royal College of Nursing) is
#: not in the stored corpus, so the headings after the first three are left as they were. The only
#: full heading list found was a third-party app's copy of the form (not the leaflet), which words
#: several of them differently: "My personal history, family and friends, pets and any treasured
#: possessions"; "My cultural, religious and spiritual background"; "My interests, jobs and
#: achievements"; "Favourite places I have lived and visited"; "The following routines are important
#: to me"; "Things I like to do for myself"; "Things I might want help with"; then the worries and
#: feel-better headings as here; "My hearing and eyesight"; "How we can communicate"; "My mobility";
#: "Things that help me sleep"; "My personal care"; "How I take my medication"; "My eating and
#: drinking". Check every heading against a printed copy of the current leaflet before relying on it.
THIS_IS_ME = DocumentSpec(
    kind=DocumentKind.THIS_IS_ME,
    pathway=Pathway.DEMENTIA,
    title=_("“This is me”"),
    purpose=_(
        "A snapshot of the person: what matters to them, so that everyone who supports them knows them as "
        "an individual. Fill it in with the person, and with the people who know them best."
    ),
    source=_(
        "Headings follow “This is me”, the leaflet of Alzheimer's Society with the Royal College of Nursing "
        "(alzheimers.org.uk, “This is me”), first developed by the Northumberland Acute Care and Dementia Group. "
        "The leaflet is Alzheimer's Society's; this record uses its headings so that a printed leaflet and this "
        "page match."
    ),
    fields=(
        F("name_i_like", _("The name I like to be called"), "text", required=True),
        F("where_i_live", _("Where I live (the area, and how long I have lived there)")),
        F("person_who_knows_me_best", _("My carer, or the person who knows me best")),
        F("i_would_like_you_to_know", _("I would like you to know")),
        F("background", _("My background, family and culture")),
        F("interests", _("Current and past interests, jobs and places I have lived")),
        F("routines", _("My routines: what I like to do and when")),
        F("worries", _("Things that may worry or upset me")),
        F("feel_better", _("What makes me feel better if I am anxious or upset")),
        F("hearing_eyesight", _("My hearing and eyesight"), section=_("How to support me")),
        F("communication", _("How I communicate"), section=_("How to support me")),
        F("mobility", _("My mobility"), section=_("How to support me")),
        F("sleeping", _("Sleeping"), section=_("How to support me")),
        F("personal_care", _("My personal care"), section=_("How to support me")),
        F("eating_drinking", _("Eating and drinking"), section=_("How to support me")),
        F("medication", _("How I take my medication"), section=_("How to support me")),
        F("completed_by", _("Completed by (and with whom)"), "text", required=True, section=_("About this record")),
    ),
)

DISTRESS_PLAN = DocumentSpec(
    kind=DocumentKind.DISTRESS_PLAN,
    pathway=Pathway.DEMENTIA,
    title=_("Stress and distress support plan"),
    purpose=_(
        "What the person's distress looks like, what sets it off, how to spot it early, and what helps: "
        "first by meeting their needs (primary), then when the early signs show (secondary), and only then "
        "to keep everyone safe when distress happens (reactive), always the least restrictive option."
    ),
    source=_(
        "Primary, secondary and reactive strategies as in Positive Behaviour Support (Gore NJ et al., "
        "Definition and scope for positive behavioural support, International Journal of Positive Behavioural "
        "Support 2013;3(2):14-23); a structured look for the causes of distress first, as NICE NG97 "
        "(Dementia, 2018, recommendations 1.7) asks."
    ),
    fields=(
        F("what_distress_looks_like", _("What the person's distress looks like"), required=True),
        F("triggers", _("Triggers: what can set it off (pain, noise, personal care, time of day ...)"), required=True),
        F("early_signs", _("Early signs that the person is becoming distressed"), required=True),
        F("primary", _("Primary: meeting needs so distress is less likely"), required=True, section=_("What helps")),
        F("secondary", _("Secondary: what to do when the early signs show"), section=_("What helps")),
        F("reactive", _("Reactive: keeping everyone safe when distress happens"), section=_("What helps")),
        F("avoid", _("What to avoid"), required=True, section=_("What helps")),
        F("after", _("Afterwards: comfort, and what to record and tell"), section=_("What helps")),
        F("medical_review", _("When to ask for a medical review"), section=_("What helps")),
        F("agreed_with", _("Agreed with (the person, family, team)"), "text", section=_("About this plan")),
    ),
)

SAFETY_MEASURES = (
    ("door_sensors", _("Door sensors or alarms")),
    ("gps", _("GPS locator")),
    ("photo", _("Recent photo on file")),
    ("id_card", _("Card or bracelet with the home's phone number")),
    ("accompanied_walks", _("Accompanied walks offered")),
    ("garden", _("Free access to a safe garden")),
    ("handover", _("Named at every handover")),
    ("herbert", _("Missing-person profile (Herbert Protocol) complete")),
)

WANDERING = DocumentSpec(
    kind=DocumentKind.WANDERING,
    pathway=Pathway.DEMENTIA,
    title=_("Walking about, exit-seeking and missing-person profile"),
    purpose=_(
        "The risk that the person leaves the home unsafely, what the home does about it, and the profile "
        "the police will ask for if they go missing (printable)."
    ),
    source=_(
        "The missing-person profile follows the Herbert Protocol, the national police scheme in which a care "
        "home or family keeps the information police need in the first hour (photo, description, places the "
        "person may go, routines, medication); the home keeps it and hands it to the police only if the "
        "person goes missing. Consent of the person or their representative, or a best-interests decision, "
        "is needed (see the Capacity records)."
    ),
    printable=True,
    fields=(
        F(
            "risk_level",
            _("Risk of leaving unsafely"),
            "choice",
            required=True,
            choices=(("low", _("Low")), ("medium", _("Medium")), ("high", _("High"))),
        ),
        F("pattern", _("When and where the person walks about or tries to leave")),
        F("reasons", _("Why they may want to leave (looking for someone, going to work ...)")),
        F("safety_measures", _("Safety measures in place"), "multi", choices=SAFETY_MEASURES),
        F("gps_details", _("GPS locator: type and monitoring phone number"), "text"),
        F("measures_detail", _("How the measures are used (least restrictive)")),
        F("height", _("Height"), "text", section=_("Missing-person profile")),
        F("build", _("Build"), "text", section=_("Missing-person profile")),
        F("hair", _("Hair (colour, style)"), "text", section=_("Missing-person profile")),
        F("eyes_glasses", _("Eye colour, glasses"), "text", section=_("Missing-person profile")),
        F("features", _("Distinguishing features (scars, tattoos, walk)"), section=_("Missing-person profile")),
        F("usual_clothing", _("What they usually wear and carry"), section=_("Missing-person profile")),
        F("aids", _("Walking and communication aids"), "text", section=_("Missing-person profile")),
        F("language", _("Languages, accent, the name they answer to"), "text", section=_("Missing-person profile")),
        F(
            "places",
            _("Places they may go: past addresses, work, places found before"),
            section=_("Missing-person profile"),
        ),
        F("previous_episodes", _("Previous times missing (when, where found)"), section=_("Missing-person profile")),
        F(
            "medical",
            _("Medical needs if missing (medicines, diabetes, heart ...)"),
            section=_("Missing-person profile"),
        ),
        F("approach", _("How to approach them, what reassures them"), section=_("Missing-person profile")),
        F(
            "photo_on_file",
            _("A recent photo is on the resident's profile"),
            "bool",
            section=_("Missing-person profile"),
        ),
        F("photo_taken_on", _("Photo taken on"), "date", section=_("Missing-person profile")),
        F(
            "consent",
            _("Consent to keep this profile"),
            "choice",
            required=True,
            section=_("About this record"),
            choices=(
                ("person", _("The person agreed")),
                ("representative", _("Their representative agreed")),
                ("best_interests", _("Best-interests decision")),
            ),
        ),
    ),
)

MH_SUPPORT = DocumentSpec(
    kind=DocumentKind.MH_SUPPORT,
    pathway=Pathway.MENTAL_HEALTH,
    title=_("Triggers and de-escalation plan"),
    purpose=_("What unsettles the person, how staff can tell, and what calms things down, in their words."),
    source=_(
        "A personal plan made with the person, as NICE NG10 (Violence and aggression: short-term management, "
        "2015) asks: identify triggers and early warning signs, and de-escalate first."
    ),
    fields=(
        F("in_my_words", _("How I describe my mental health, in my words")),
        F("triggers", _("Triggers"), required=True),
        F("early_warning_signs", _("Early warning signs staff may notice"), required=True),
        F("what_helps", _("What helps me calm down (de-escalation)"), required=True),
        F("avoid", _("What makes things worse: please avoid")),
        F("wellbeing", _("What keeps me well day to day")),
        F("agreed_with", _("Agreed with"), "text", section=_("About this plan")),
    ),
)

MH_CRISIS = DocumentSpec(
    kind=DocumentKind.MH_CRISIS,
    pathway=Pathway.MENTAL_HEALTH,
    title=_("Crisis and relapse-prevention plan"),
    purpose=_(
        "The signs that the person is becoming unwell again, what they and staff do, and who to call, "
        "agreed with the person and the community mental health team."
    ),
    source=_(
        "Contents of a crisis plan as NICE CG136 (Service user experience in adult mental health, 2011) "
        "and NICE CG178 (Psychosis and schizophrenia in adults, 2014) describe: early warning signs, "
        "what to do, coping strategies, support and whom to contact."
    ),
    fields=(
        F("relapse_signs", _("Early warning signs of relapse"), required=True),
        F("what_i_do", _("What I can do myself")),
        F("what_staff_do", _("What staff do when they see these signs"), required=True),
        F("crisis_steps", _("In a crisis: step by step"), required=True),
        F("who_to_call", _("Who to call, in order (team, out of hours, GP, 999)"), required=True),
        F("risks", _("Risks to consider (to self, from others, to others)")),
        F("preferences", _("My wishes about treatment if I become unwell")),
        F("agreed_with", _("Agreed with (the person, CMHT worker)"), "text", section=_("About this plan")),
    ),
)

ADVANCE_CARE_PLAN = DocumentSpec(
    kind=DocumentKind.ADVANCE_CARE_PLAN,
    pathway=Pathway.PALLIATIVE,
    title=_("Advance care plan"),
    purpose=_(
        "What matters to the person, their wishes for care and treatment, where they would like to be cared "
        "for and to die, and who should be involved. It guides decisions; it is not an advance decision to "
        "refuse treatment (recorded separately) nor a ReSPECT or DNACPR form (on the resident's profile)."
    ),
    source=_(
        "Universal Principles for Advance Care Planning (NHS England and partners, 2022); NICE NG142 "
        "(End of life care for adults: service delivery, 2019)."
    ),
    fields=(
        F("what_matters", _("What matters most to me"), required=True),
        F("wishes", _("My wishes for care and treatment")),
        F("preferred_place_of_care", _("Where I would like to be cared for"), "choice", required=True, choices=PLACES),
        F("preferred_place_of_death", _("Where I would like to die"), "choice", required=True, choices=PLACES),
        F("place_detail", _("More about the places")),
        F("people_to_involve", _("People to involve in decisions, and how to reach them"), required=True),
        F("spiritual", _("Faith, culture and spiritual wishes")),
        F(
            "involvement",
            _("How the person took part"),
            "choice",
            required=True,
            section=_("About this plan"),
            choices=(
                ("themselves", _("Made by the person")),
                ("with_support", _("Made with the person, with support")),
                ("best_interests", _("The person could not take part: made in their best interests")),
            ),
        ),
        F("discussed_with", _("Discussed with (names, roles)"), "text", required=True, section=_("About this plan")),
        F("shared_with_gp", _("Shared with the GP"), "bool", section=_("About this plan")),
    ),
)

LAST_DAYS = DocumentSpec(
    kind=DocumentKind.LAST_DAYS,
    pathway=Pathway.PALLIATIVE,
    title=_("Last days of life care plan"),
    purpose=_("An individual plan for the person's last days: comfort, mouth care, drinking, and family."),
    source=_(
        "NICE NG31 (Care of dying adults in the last days of life, 2015): recognising dying, communication, "
        "shared decisions, hydration (1.4), anticipatory prescribing (1.6); the five Priorities for Care of the "
        "Dying Person (Leadership Alliance for the Care of Dying People, One chance to get it right, 2014)."
    ),
    fields=(
        F("recognised_on", _("Date it was recognised the person may be dying"), "date", required=True),
        F("recognised_by", _("Recognised by (name, role)"), "text", required=True),
        F("told", _("What the person and family were told, and by whom"), required=True),
        F("comfort", _("Comfort: position, pressure care, pain relief"), required=True, section=_("Care")),
        F("mouth_care", _("Mouth care"), required=True, section=_("Care")),
        F(
            "hydration",
            _("Drinking and hydration (sips, mouth moist, decisions on fluids)"),
            required=True,
            section=_("Care"),
        ),
        F("eating", _("Eating"), section=_("Care")),
        F("skin_continence", _("Skin and continence"), section=_("Care")),
        F(
            "observe_every",
            _("Check symptoms and comfort"),
            "choice",
            required=True,
            section=_("Care"),
            choices=(("1h", _("Every hour")), ("2h", _("Every 2 hours")), ("4h", _("Every 4 hours"))),
        ),
        F(
            "family_presence",
            _("Family presence: who wants to be there, and to be called when"),
            required=True,
            section=_("People"),
        ),
        F("spiritual", _("Spiritual, religious and cultural needs"), section=_("People")),
        F("personal_wishes", _("Personal wishes (music, light, who holds their hand)"), section=_("People")),
    ),
)

AFTER_DEATH = DocumentSpec(
    kind=DocumentKind.AFTER_DEATH,
    pathway=Pathway.PALLIATIVE,
    title=_("Care after death"),
    purpose=_(
        "The care given after the person died, their and their family's wishes, their belongings and who was "
        "told. Verification of death is recorded with the resident's death (residents service), not here."
    ),
    source=_("Care after death: guidance for staff responsible for care after death (Hospice UK, 2020)."),
    after_death=True,
    fields=(
        F("wishes", _("The person's and family's wishes (faith, culture, who gives care)"), required=True),
        F("care_given", _("Care given (washing, position, eyes and mouth, identification)"), required=True),
        F("given_by", _("Given by"), "text", required=True),
        F(
            "infection_risk",
            _("Infection risk"),
            "choice",
            required=True,
            choices=(
                ("none", _("None known")),
                ("infection", _("Infection risk: see details")),
                ("notifiable", _("Notifiable disease: see details")),
            ),
        ),
        F("devices", _("Implanted devices (pacemaker, ICD) and lines, and what was done")),
        F(
            "belongings",
            _("Belongings: what stays with the person, what was listed and kept"),
            required=True,
            section=_("Belongings"),
        ),
        F("belongings_to", _("Belongings returned to (name, date)"), "text", section=_("Belongings")),
        F("funeral_director", _("Funeral director"), "text", section=_("Who was told")),
        F(
            "informed",
            _("Who was informed, when and by whom (family, GP, coroner if needed)"),
            required=True,
            section=_("Who was told"),
        ),
    ),
)

BEREAVEMENT = DocumentSpec(
    kind=DocumentKind.BEREAVEMENT,
    pathway=Pathway.PALLIATIVE,
    title=_("Bereavement support for the family"),
    purpose=_("The support offered to the family and friends, and when the home will get back in touch."),
    source=_("NICE NG142 (End of life care for adults: service delivery, 2019), support for carers after death."),
    after_death=True,
    fields=(
        F("family", _("Family members and friends supported"), required=True),
        F(
            "offered",
            _("Support offered"),
            "multi",
            required=True,
            choices=(
                ("home", _("Time with staff of the home")),
                ("leaflet", _("Written information on what to do after a death")),
                ("cruse", _("Cruse Bereavement Support")),
                ("hospice", _("Hospice bereavement service")),
                ("faith", _("Faith leader")),
                ("gp", _("Their GP")),
                ("other", _("Other (see notes)")),
            ),
        ),
        F("follow_up_on", _("Follow-up on"), "date", required=True),
        F("follow_up_done", _("Follow-up made"), "bool"),
        F("notes", _("Notes (what was said, what they would like)")),
        F("staff_support", _("Support offered to staff"), "bool", section=_("The team")),
    ),
)

SPECS: dict[str, DocumentSpec] = {
    s.kind: s
    for s in (
        THIS_IS_ME,
        DISTRESS_PLAN,
        WANDERING,
        MH_SUPPORT,
        MH_CRISIS,
        ADVANCE_CARE_PLAN,
        LAST_DAYS,
        AFTER_DEATH,
        BEREAVEMENT,
    )
}


def spec_for(kind: str) -> DocumentSpec | None:
    return SPECS.get(str(kind))


def specs_for(pathway: str) -> list[DocumentSpec]:
    return [s for s in SPECS.values() if s.pathway == pathway]


def _clean_one(f: FieldSpec, value) -> tuple[object, str | None]:
    """(clean value, message or None). Empty values are "" / [] / False / None by kind."""
    if f.kind == "bool":
        if value in (None, "", False, "false", "off", "0", 0):
            return False, None
        if value in (True, "true", "on", "1", 1, "yes"):
            return True, None
        return False, str(_("Answer yes or no."))
    if f.kind == "multi":
        if value in (None, "", []):
            return [], None
        if not isinstance(value, list | tuple) or not all(isinstance(v, str) for v in value):
            return [], str(_("Choose from the list."))
        allowed = [k for k, _label in f.choices]
        unknown = [v for v in value if v not in allowed]
        if unknown:
            return [], str(_("Choose from the list."))
        return [k for k in allowed if k in value], None  # in the list's order, once each
    if f.kind == "date":
        if value in (None, ""):
            return None, None
        if isinstance(value, date):
            return value.isoformat(), None
        try:
            return date.fromisoformat(str(value)).isoformat(), None
        except ValueError:
            return None, str(_("Enter a date (yyyy-mm-dd)."))
    if value is None:
        value = ""
    if not isinstance(value, str):
        return "", str(_("Enter text."))
    value = value.strip()
    if "\x00" in value:
        return "", str(_("Enter text without control characters."))
    if f.kind == "choice":
        if value and value not in {k for k, _label in f.choices}:
            return "", str(_("Choose from the list."))
        return value, None
    limit = TEXT_MAX if f.kind in ("text", "phone") else TEXTAREA_MAX
    if len(value) > limit:
        return "", str(_("Keep this to %(n)d characters.")) % {"n": limit}
    if f.kind == "phone" and value and not _PHONE.match(value):
        return "", str(_("Enter a phone number (digits, spaces, + and brackets)."))
    return value, None


def clean_values(spec: DocumentSpec, values) -> tuple[dict, dict[str, list[str]]]:
    """The document's values cleaned by field kind, and messages keyed ``values.<field key>``."""
    errors: dict[str, list[str]] = {}
    if not isinstance(values, dict):
        return {}, {"values": [str(_("Give the contents as field: value pairs."))]}
    unknown = sorted(set(values) - {f.key for f in spec.fields})
    if unknown:
        errors["values"] = [str(_("Unknown fields: %(names)s.")) % {"names": ", ".join(map(str, unknown[:10]))}]
    cleaned: dict = {}
    for f in spec.fields:
        value, message = _clean_one(f, values.get(f.key))
        if message is None and f.required and value in ("", [], None, False) and f.kind != "bool":
            message = str(_("This is needed."))
        if message:
            errors[f"values.{f.key}"] = [message]
        cleaned[f.key] = value
    return cleaned, errors


def display_value(f: FieldSpec, value) -> str:
    """A stored value as words (choices by their label)."""
    if f.kind == "bool":
        return str(_("Yes")) if value else str(_("No"))
    labels = {k: str(v) for k, v in f.choices}
    if f.kind == "multi":
        return ", ".join(labels.get(v, v) for v in value or [])
    if f.kind == "choice":
        return labels.get(value, value or "")
    return "" if value is None else str(value)
