"""The four specialist pathways (services 29-32) as care plan templates, declared as data.

Each template names the need domain of the care plan it suggests, goals and interventions in plain
words (a starting point the nurse makes personal with the resident), and the pathway's own records.
``pathway_templates()`` is what the plans sub-domain (and the API) use; nothing here writes anything.

Need domains are the issue's list, as slugs: ``cognition``, ``mental_health`` ("mental health and
behaviour"), ``end_of_life``, ``mobility`` ("mobility and falls").
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from writecarenotes.care_planning.models.pathways import DocumentKind, Pathway

__all__ = ["PathwayTemplate", "SuggestedIntervention", "pathway_template", "pathway_templates"]


@dataclass(frozen=True)
class SuggestedIntervention:
    text: str
    how_often: str = ""


@dataclass(frozen=True)
class PathwayTemplate:
    pathway: str
    service_number: int
    title: str
    need_domain: str
    need_domain_label: str
    summary: str
    goals: tuple[str, ...]
    interventions: tuple[SuggestedIntervention, ...]
    documents: tuple[str, ...]
    records: tuple[str, ...]
    sources: tuple[str, ...]

    def as_dict(self) -> dict:
        return {
            "pathway": self.pathway,
            "service_number": self.service_number,
            "title": str(self.title),
            "need_domain": self.need_domain,
            "need_domain_label": str(self.need_domain_label),
            "summary": str(self.summary),
            "goals": [str(g) for g in self.goals],
            "interventions": [{"text": str(i.text), "how_often": str(i.how_often)} for i in self.interventions],
            "documents": list(self.documents),
            "records": [str(r) for r in self.records],
            "sources": [str(s) for s in self.sources],
        }


I = SuggestedIntervention  # noqa: E741  (short for the tables below)

TEMPLATES: tuple[PathwayTemplate, ...] = (
    PathwayTemplate(
        pathway=Pathway.DEMENTIA,
        service_number=30,
        title=_("Dementia"),
        need_domain="cognition",
        need_domain_label=_("Cognition"),
        summary=_(
            "Knowing the person (“This is me”), understanding and easing stress and distress, and keeping them "
            "safe when they walk about, with the least restriction."
        ),
        goals=(
            _("Staff know what matters to me and support me my way every day."),
            _("I have fewer episodes of distress, and they are shorter, over the next 3 months."),
            _("I can walk about freely and safely, and do not leave the home unaccompanied."),
        ),
        interventions=(
            I(_("Read “This is me” before supporting me; add to it when you learn something new."), _("ongoing")),
            I(_("Offer my usual routine and choices; use the name I like to be called."), _("every day")),
            I(_("Watch for my early signs of distress and use what helps in my distress plan."), _("every shift")),
            I(_("Record each episode of distress: what happened before, what you did, how it ended."), _("each time")),
            I(_("Check the door sensors work and my locator is charged."), _("daily")),
            I(_("Offer an accompanied walk or time in the garden."), _("twice a day")),
            I(_("Review cognition with the 4AT if I seem suddenly more confused (delirium)."), _("when it happens")),
        ),
        documents=(DocumentKind.THIS_IS_ME, DocumentKind.DISTRESS_PLAN, DocumentKind.WANDERING),
        records=(_("Cognitive assessments (AMTS, 6CIT, 4AT, Cornell) in the assessments service"),),
        sources=(
            _("NICE NG97 Dementia: assessment, management and support (2018)"),
            _("“This is me”, Alzheimer's Society and Royal College of Nursing"),
            _("The Herbert Protocol (police missing-person scheme)"),
        ),
    ),
    PathwayTemplate(
        pathway=Pathway.MENTAL_HEALTH,
        service_number=29,
        title=_("Mental health"),
        need_domain="mental_health",
        need_domain_label=_("Mental health and behaviour"),
        summary=_(
            "Noticing changes in mood and behaviour early, calming situations with the person's own plan, "
            "acting on early warning signs, and working with the community mental health team."
        ),
        goals=(
            _("My mood stays settled most days, and staff notice early when it does not."),
            _("When I become upset, staff use what works for me and I calm down without restraint."),
            _("If I become unwell again, the right people are called the same day."),
        ),
        interventions=(
            I(_("Record my mood and anything you noticed."), _("every shift")),
            I(_("Use my triggers and de-escalation plan; avoid what makes things worse."), _("when needed")),
            I(
                _("If you see my early warning signs, follow my crisis plan and tell the nurse in charge."),
                _("when needed"),
            ),
            I(_("Keep my community mental health team's details up to date; tell them of changes."), _("monthly")),
            I(_("Offer activities that keep me well."), _("daily")),
        ),
        documents=(DocumentKind.MH_SUPPORT, DocumentKind.MH_CRISIS),
        records=(
            _("Mood and behaviour entries"),
            _("Community mental health team contacts"),
            _("GDS-15 and Cornell in the assessments service"),
        ),
        sources=(
            _("NICE NG10 Violence and aggression: short-term management (2015)"),
            _("NICE CG136 Service user experience in adult mental health (2011)"),
        ),
    ),
    PathwayTemplate(
        pathway=Pathway.PALLIATIVE,
        service_number=31,
        title=_("Palliative and end of life"),
        need_domain="end_of_life",
        need_domain_label=_("End of life"),
        summary=_(
            "Planning ahead with the person, honouring their decisions, keeping them comfortable in their last "
            "days, caring for them after death and supporting their family."
        ),
        goals=(
            _("My wishes, and where I would like to be cared for and to die, are known and followed."),
            _("I am comfortable: symptoms are noticed and eased quickly."),
            _("My mouth stays clean and moist, and I am offered drinks while I can take them."),
            _("The people I love can be with me, and are supported afterwards."),
        ),
        interventions=(
            I(
                _("Talk with me (and those I choose) about my wishes; record them in my advance care plan."),
                _("review monthly"),
            ),
            I(_("Check any advance decision is valid and applicable before it is relied on."), _("when recorded")),
            I(_("Observe and record my symptoms on the symptom chart."), _("as my last-days plan says")),
            I(_("Give mouth care and offer sips."), _("every 1-2 hours")),
            I(_("Reposition me for comfort, unless I would rather not be moved."), _("as agreed")),
            I(_("Make sure anticipatory medicines are prescribed and in the home."), _("when I may be dying")),
            I(_("Offer my family bereavement support and call them afterwards."), _("after my death")),
        ),
        documents=(
            DocumentKind.ADVANCE_CARE_PLAN,
            DocumentKind.LAST_DAYS,
            DocumentKind.AFTER_DEATH,
            DocumentKind.BEREAVEMENT,
        ),
        records=(
            _("Advance decisions to refuse treatment"),
            _("Anticipatory medicines"),
            _("Symptom observations"),
            _("ReSPECT / DNACPR on the resident's profile"),
        ),
        sources=(
            _("NICE NG31 Care of dying adults in the last days of life (2015)"),
            _("NICE NG142 End of life care for adults: service delivery (2019)"),
            _("Mental Capacity Act 2005 sections 24-26 (advance decisions)"),
            _("IPOS, Cicely Saunders Institute (symptom items)"),
        ),
    ),
    PathwayTemplate(
        pathway=Pathway.REHABILITATION,
        service_number=32,
        title=_("Rehabilitation"),
        need_domain="mobility",
        need_domain_label=_("Mobility and falls"),
        summary=_(
            "Therapy goals with a baseline and a target (for example the Barthel Index), each session with the "
            "physiotherapist or occupational therapist, the equipment issued and its servicing."
        ),
        goals=(
            _("I can do more for myself: my Barthel score rises from my baseline to my target by the target date."),
            _("I walk safely with my aid to the lounge and back."),
            _("My equipment is safe: serviced and checked on time."),
        ),
        interventions=(
            I(_("Practise the exercises my therapist set, with me."), _("as the therapist says")),
            I(_("Encourage me to do what I can for myself in personal care."), _("every day")),
            I(_("Check my walking aid and wheelchair before use; report faults."), _("daily")),
            I(_("Reassess my Barthel Index and record it against my goal."), _("monthly")),
        ),
        documents=(),
        records=(
            _("Therapy goals and measurements"),
            _("Therapy sessions"),
            _("Equipment issued"),
            _("Barthel Index in the assessments service"),
        ),
        sources=(
            _("Barthel Index (Mahoney and Barthel 1965; Collin et al. 1988) in the assessments service"),
            _("LOLER 1998 regulation 9 (thorough examination of hoists and slings)"),
        ),
    ),
)


def pathway_templates() -> list[PathwayTemplate]:
    """The four pathway templates, in the order dementia, mental health, palliative, rehabilitation."""
    return list(TEMPLATES)


def pathway_template(pathway: str) -> PathwayTemplate | None:
    return next((t for t in TEMPLATES if t.pathway == pathway), None)
