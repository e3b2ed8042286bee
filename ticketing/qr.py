"""QR codes of ticket codes: SVG for the PDF (vector, sharp at any size), PNG for e-mail
clients (which do not show inline SVG)."""

import io

import qrcode
import qrcode.image.svg


def qr_svg(code: str) -> str:
    """One <svg> element with a single path: cheap for WeasyPrint to lay out."""
    image = qrcode.make(code, image_factory=qrcode.image.svg.SvgPathImage, box_size=10, border=2)
    # qrcode names every path id="qr-path"; ids must be unique in a document of many tickets.
    return image.to_string(encoding="unicode").replace(' id="qr-path"', "")


def qr_png(code: str) -> bytes:
    buffer = io.BytesIO()
    qrcode.make(code, box_size=6, border=2).save(buffer, format="PNG")
    return buffer.getvalue()
