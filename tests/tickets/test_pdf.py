"""The tickets PDF: one page per ticket, each page naming the movie, seat, booking and total,
and each QR decoding (for real, with zxing-cpp) to that ticket's code."""

import io
import os
import re
import subprocess
import sys
import time
from pathlib import Path

import pytest
import zxingcpp
from PIL import Image, ImageDraw
from pypdf import PdfReader

from ticketing.models import Booking
from ticketing.services import ticket_pdf
from ticketing.services.ticket_pdf import ensure_tickets_pdf, render_booking_pdf, render_html

pytestmark = pytest.mark.django_db
MODULE = re.compile(r"M(\d+),(\d+)H")


def decode_svg_qr(svg: str) -> str:
    """Paint the SVG's modules (one unit square each) onto an image and let zxing read it."""
    size = int(re.search(r'viewBox="0 0 (\d+) (\d+)"', svg).group(1))
    scale = 8
    image = Image.new("L", (size * scale, size * scale), 255)
    draw = ImageDraw.Draw(image)
    for x, y in MODULE.findall(svg):
        x, y = int(x) * scale, int(y) * scale
        draw.rectangle([x, y, x + scale - 1, y + scale - 1], fill=0)
    found = zxingcpp.read_barcodes(image)
    assert found, "no QR code found"
    return found[0].text


def test_one_page_per_ticket_with_its_facts(confirmed):
    reader = PdfReader(io.BytesIO(render_booking_pdf(confirmed)))
    tickets = list(confirmed.tickets.order_by("pk"))
    assert len(reader.pages) == len(tickets) == 3
    for page, ticket in zip(reader.pages, tickets, strict=True):
        text = page.extract_text()
        for fact in (ticket.code, f"Seat {ticket.seat_label}", "Dune", confirmed.reference, str(confirmed.total), "GST", "IST"):
            assert fact in text, (fact, text)


def test_each_qr_decodes_to_its_ticket_code(confirmed):
    html = render_html(confirmed)
    sections = re.findall(r'<table class="ticket" data-code="(\w+)">(.*?)</tr></table>', html, re.S)
    assert [code for code, _ in sections] == list(confirmed.tickets.order_by("pk").values_list("code", flat=True))
    for code, body in sections:
        svg = re.search(r"<svg.*?</svg>", body, re.S).group(0)
        assert decode_svg_qr(svg) == code


def test_the_pdf_is_rendered_once_and_stored(confirmed, monkeypatch):
    calls = []
    real = ticket_pdf.render_booking_pdf
    monkeypatch.setattr(ticket_pdf, "render_booking_pdf", lambda booking: calls.append(1) or real(booking))
    Booking.objects.filter(pk=confirmed.pk).update(tickets_pdf="")
    booking = Booking.objects.get(pk=confirmed.pk)
    first = ensure_tickets_pdf(booking)
    again = ensure_tickets_pdf(Booking.objects.get(pk=confirmed.pk))
    assert first == again and first.startswith(b"%PDF")
    assert len(calls) == 1
    stored = Booking.objects.get(pk=confirmed.pk).tickets_pdf.name
    assert stored.startswith("tickets/") and confirmed.reference in stored and stored.endswith(".pdf")


def test_an_unconfirmed_booking_has_no_pdf(as_alice, alice, show):
    from ticketing.services.holds import hold_seats

    booking = hold_seats(alice, show, ["B1"]).booking
    assert ensure_tickets_pdf(booking) is None


def test_a_four_ticket_booking_renders_well_under_a_second(as_alice, alice, show):
    from tests.tickets.conftest import confirm

    booking = confirm(as_alice, alice, show, ["B1", "B2", "B3", "B4"])
    render_booking_pdf(booking)  # warm the font configuration, as a running worker has it
    started = time.perf_counter()
    pdf = render_booking_pdf(booking)
    elapsed = time.perf_counter() - started
    assert len(PdfReader(io.BytesIO(pdf)).pages) == 4
    print(f"4-ticket render: {elapsed * 1000:.0f} ms")


FONT_FOLDER_SCRIPT = """
import multiprocessing
import sys

import django

django.setup()
import weasyprint
from ticketing.services.pdf_fonts import FONTS
from ticketing.services.ticket_pdf import font_config


def render(folders):
    face = (FONTS / "DejaVuSans.ttf").as_uri()
    html = f"<style>@font-face {{ font-family: T; src: url({face}) }} p {{ font-family: T }}</style><p>1</p>"
    weasyprint.HTML(string=html).write_pdf(font_config=font_config())
    folders.put(str(font_config()._folder))


if sys.argv[1] == "worker":  # a task worker: a forked child, which ends through os._exit
    context = multiprocessing.get_context("fork")
    folders = context.Queue()
    worker = context.Process(target=render, args=(folders,))
    worker.start()
    print(folders.get(timeout=60))
    worker.join()
else:  # a web worker or a command: the interpreter's own shutdown
    class Folders(list):
        put = list.append

    folders = Folders()
    render(folders)
    print(folders[0])
"""


@pytest.mark.django_db(False)
@pytest.mark.parametrize("process", ["worker", "interpreter"])
def test_a_process_that_rendered_tickets_leaves_no_font_folder_behind(process, tmp_path):
    """A process keeps one font configuration; its temporary folder of font faces goes when
    the process ends, whether by the interpreter's shutdown (WeasyPrint's own clean-up fails
    there) or as a django-q worker does, through os._exit."""
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings.test", "TMPDIR": str(tmp_path)}
    env.pop("DATABASE_URL", None)
    done = subprocess.run(
        [sys.executable, "-c", FONT_FOLDER_SCRIPT, process],
        cwd=Path(__file__).resolve().parents[2],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    folder = Path(done.stdout.strip().splitlines()[-1])
    assert folder.parent == tmp_path  # the render made its folder where this test looks
    assert not folder.exists()
    assert "Exception ignored" not in done.stderr
