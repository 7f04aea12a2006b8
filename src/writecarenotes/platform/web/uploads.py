"""Uploaded photos and documents: checked by their content (not the name the phone gave them),
at most 5 MB, stored under MEDIA_ROOT and served only by a permission-checked view (never from
a public MEDIA_URL). Shared by the contexts that store files (residents' photos and documents,
incident photos): each passes its own folder (``"residents/photos"``, ``"incidents/photos"``)."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

MAX_BYTES = 5 * 1024 * 1024
_SIGNATURES = {
    b"\xff\xd8\xff": "image/jpeg",
    b"\x89PNG\r\n\x1a\n": "image/png",
    b"%PDF-": "application/pdf",
}
IMAGES = frozenset({"image/jpeg", "image/png"})
DOCUMENTS = frozenset({"image/jpeg", "image/png", "application/pdf"})
EXTENSION = {"image/jpeg": "jpg", "image/png": "png", "application/pdf": "pdf"}


def sniff(head: bytes) -> str | None:
    for signature, content_type in _SIGNATURES.items():
        if head.startswith(signature):
            return content_type
    return None


def check_upload(upload, allowed: frozenset[str], field: str) -> str:
    """The upload's real content type; ValidationError unless it is allowed and at most 5 MB."""
    if upload.size > MAX_BYTES:
        raise ValidationError({field: [_("The file is larger than 5 MB: choose a smaller one.")]})
    upload.seek(0)
    head = upload.read(16)
    upload.seek(0)
    content_type = sniff(head)
    if content_type not in allowed:
        kinds = _("a JPEG or PNG photo") if allowed == IMAGES else _("a PDF, JPEG or PNG file")
        raise ValidationError({field: [_("Choose %(kinds)s.") % {"kinds": kinds}]})
    return content_type


def store(upload, folder: str, content_type: str) -> str:
    """Save the checked upload under a random name in ``folder`` (e.g. "residents/photos"); return its
    storage name."""
    import uuid

    from django.core.files.storage import default_storage

    folder = folder.strip("/")
    if not folder or ".." in folder.split("/"):
        raise ValueError(f"bad upload folder {folder!r}")
    return default_storage.save(f"{folder}/{uuid.uuid4().hex}.{EXTENSION[content_type]}", upload)


def open_stored(name: str):
    from django.core.files.storage import default_storage

    return default_storage.open(name, "rb")
