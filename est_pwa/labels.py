"""Translated labels of the codes stored in the database (roles, kinds, statuses, ...)."""

from flask_babel import lazy_gettext as _l

ROLE_LABELS = {
    "admin": _l("Administrator"),
    "coordinator": _l("Safety coordinator"),
    "police": _l("Police"),
    "reporter": _l("Reporter"),
    "viewer": _l("Viewer"),
}
KIND_LABELS = {
    "municipal_unit": _l("Municipal unit"),
    "housing_company": _l("Housing company"),
    "police": _l("Police"),
    "security_company": _l("Security company"),
    "business": _l("Business"),
    "association": _l("Association"),
    "public": _l("Public"),
}
STATUS_LABELS = {
    "ny": _l("New"),
    "granskad": _l("Reviewed"),
    "atgard_planerad": _l("Action planned"),
    "atgardad": _l("Dealt with"),
    "avslutad": _l("Closed"),
    "avvisad": _l("Rejected"),
}
PLACE_TYPE_LABELS = {
    "gata_torg": _l("Street or square"),
    "park": _l("Park"),
    "parkering": _l("Parking"),
    "trapphus": _l("Stairwell or common space"),
    "skolgard": _l("School yard"),
    "butik_centrum": _l("Shop or shopping centre"),
    "kollektivtrafik": _l("Public transport"),
    "annat": _l("Other"),
}
AGE_GROUP_LABELS = {
    "barn": _l("Children"),
    "unga": _l("Young people"),
    "vuxna": _l("Adults"),
    "blandat": _l("Mixed"),
}

WALK_KIND_LABELS = {
    "dag": _l("Day walk"),
    "natt": _l("Night walk"),
}
WALK_STATUS_LABELS = {
    "planerad": _l("Planned"),
    "genomford": _l("Done"),
    "installd": _l("Cancelled"),
}
# Answers to a walk's checklist item on the "ok" scale.
CHECKLIST_ANSWER_LABELS = {
    "bra": _l("Good"),
    "brist": _l("Deficient"),
    "ej_bedomt": _l("Not assessed"),
}


FEELING_LABELS = {"otrygg": _l("Unsafe"), "trygg": _l("Safe")}
TIME_OF_DAY_LABELS = {"dag": _l("Daytime"), "kväll": _l("Evening"), "natt": _l("Night")}


# What the history of an observation says about each recorded change.
AUDIT_ACTION_LABELS = {
    "observation.status": _l("Status changed"),
    "observation.reopen": _l("Reopened"),
    "observation.classify": _l("Classification changed"),
    "observation.feedback": _l("Feedback to the reporter written"),
    "observation.police_reported": _l("Police report marked"),
    "observation.comment": _l("Comment added"),
    "observation.merge": _l("Merged as a duplicate"),
    "observation.merged_in": _l("A duplicate was merged into it"),
    "observation.unmerge": _l("Merge undone"),
    "observation.moderate": _l("Moderated"),
}


def choices(labels: dict) -> list[tuple[str, str]]:
    """Return (code, label) pairs for a form's select field."""
    return [(code, str(label)) for code, label in labels.items()]


def template_globals() -> dict:
    """Return the label look-ups that templates use."""
    return {
        "role_label": lambda code: ROLE_LABELS.get(code, code),
        "kind_label": lambda code: KIND_LABELS.get(code, code),
        "status_label": lambda code: STATUS_LABELS.get(code, code),
        "place_type_label": lambda code: PLACE_TYPE_LABELS.get(code, code),
        "age_group_label": lambda code: AGE_GROUP_LABELS.get(code, code),
        "feeling_label": lambda code: FEELING_LABELS.get(code, code),
        "time_of_day_label": lambda code: TIME_OF_DAY_LABELS.get(code, code),
        "walk_kind_label": lambda code: WALK_KIND_LABELS.get(code, code),
        "walk_status_label": lambda code: WALK_STATUS_LABELS.get(code, code),
        "checklist_answer_label": lambda code: CHECKLIST_ANSWER_LABELS.get(code, code),
        "audit_action_label": lambda code: AUDIT_ACTION_LABELS.get(code, code),
    }
