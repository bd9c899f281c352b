"""The demo city's documents: a few small files generated here (a one-page
PDF, a PNG "photo", a CSV), attached to a programme, some projects (the
mobility director's among them) and the latest held committee meetings.

No binary in the repository: every file is written by this module, a few
hundred bytes each, and goes through the same checks and storage as an
upload (``smartcity.base.services.document_add``). The same handful whatever
the scale."""

from __future__ import annotations

import datetime
import struct
import zlib

from django.contrib.auth.models import User
from django.core.files.uploadedfile import SimpleUploadedFile

from governance.models import Meeting
from programmes import rules
from programmes.models import Programme, Project
from smartcity.base.models import Document
from smartcity.base.services import document_add, document_archive


def tiny_pdf(title: str, lines: list[str]) -> bytes:
    """A valid one-page PDF showing ``title`` and ``lines`` (Latin-1 text)."""

    def escape(text: str) -> str:
        return text.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")

    text = [f"BT /F1 16 Tf 56 780 Td ({escape(title)}) Tj ET"]
    for i, line in enumerate(lines):
        text.append(f"BT /F1 11 Tf 56 {750 - 16 * i} Td ({escape(line)}) Tj ET")
    stream = "\n".join(text).encode("latin-1", "replace")
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>",
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return bytes(out)


def tiny_png(width: int = 96, height: int = 64, seed: int = 0) -> bytes:
    """A small RGB PNG: a sky-to-street gradient, different for each seed."""
    rows = []
    for y in range(height):
        row = bytearray(b"\x00")
        for x in range(width):
            if y < height * 0.6:
                row += bytes((90 + y, 150 + y, 220))
            else:
                row += bytes(((60 + x + seed * 40) % 256, 70 + (x * y + seed) % 40, 80))
        rows.append(bytes(row))

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(b"".join(rows), 9))
        + chunk(b"IEND", b"")
    )


def _add(owner, *, name: str, content: bytes, title: str, kind: str, date: datetime.date, by: User | None) -> Document:
    return document_add(
        owner=owner,
        file=SimpleUploadedFile(name, content),
        data={"title": title, "kind": kind, "date": date},
        by=by,
    )


def add_documents(builder) -> None:
    today = builder.today
    lead = User.objects.filter(username="lead").first()
    mobility = User.objects.filter(username="director.mobility").first()
    added = 0

    programme = Programme.objects.order_by("pk").first()
    if programme is not None:
        _add(
            programme,
            name="etude-cadrage.pdf",
            content=tiny_pdf(
                "Étude de cadrage du programme",
                [programme.name, "Diagnostic, enjeux et feuille de route à trois ans.", "Document de démonstration."],
            ),
            title="Étude de cadrage du programme",
            kind=Document.Kind.STUDY,
            date=today - datetime.timedelta(days=420),
            by=lead,
        )
        added += 1

    active = Project.objects.active().select_related("lead_service").order_by("pk")
    own = list(active.filter(lead_service__director=mobility)[:2]) if mobility is not None else []
    others = list(active.exclude(pk__in=[p.pk for p in own])[:4])
    for i, project in enumerate(own + others):
        by = mobility if project in own and rules.can_add_document(mobility, project) else lead
        _add(
            project,
            name=f"convention-{project.code.lower()}.pdf",
            content=tiny_pdf(
                f"Convention de partenariat - {project.code}",
                [project.name[:80], "Article 1 : objet de la convention.", "Article 2 : engagements des parties."],
            ),
            title=f"Convention de partenariat {project.code}",
            kind=Document.Kind.AGREEMENT,
            date=today - datetime.timedelta(days=200 + 30 * i),
            by=by,
        )
        _add(
            project,
            name=f"photo-chantier-{i + 1}.png",
            content=tiny_png(seed=i),
            title=f"Photo du site, visite n° {i + 1}",
            kind=Document.Kind.PHOTO,
            date=today - datetime.timedelta(days=20 + 7 * i),
            by=by,
        )
        added += 2
        if i == 0:
            old = _add(
                project,
                name="etude-faisabilite-v1.pdf",
                content=tiny_pdf("Étude de faisabilité (première version)", ["Remplacée par la convention."]),
                title="Étude de faisabilité, première version",
                kind=Document.Kind.STUDY,
                date=today - datetime.timedelta(days=540),
                by=lead,
            )
            document_archive(document=old)
            _add(
                project,
                name="mesures-frequentation.csv",
                content=b"semaine;voyageurs\n1;1200\n2;1350\n3;1410\n",
                title="Mesures de fréquentation",
                kind=Document.Kind.OTHER,
                date=today - datetime.timedelta(days=10),
                by=by,
            )
            added += 2

    for meeting in Meeting.objects.filter(status__in=["held", "approved"]).order_by("-starts_at")[:2]:
        _add(
            meeting,
            name=f"releve-seance-{meeting.number}.pdf",
            content=tiny_pdf(
                f"Relevé de décisions - séance n° {meeting.number}",
                ["Présents : voir la feuille d'émargement.", "Décisions : voir le registre."],
            ),
            title=f"Relevé signé de la séance n° {meeting.number}",
            kind=Document.Kind.MINUTES,
            date=meeting.starts_at.date(),
            by=lead,
        )
        added += 1
    builder.counts["documents"] = added
