"""Write the demo documents' PDF files from documents.csv (run once, files committed).

    .venv/bin/python doclibrary/demo_data/make_files.py

Each file is a one-page A4 image of a plainly laid-out document (the heading lines,
the number and date, the summary and a note that it is a demo), drawn with Pillow
(already a requirement) in DejaVu Sans, which has every Vietnamese letter; Pillow
saves the page as a PDF. No sentence comes from a real document.
"""

import csv
import sys
import textwrap
from pathlib import Path

from PIL import Image, ImageDraw, ImageFont

HERE = Path(__file__).resolve().parent
FONTS = Path("/usr/share/fonts/truetype/dejavu")
DPI = 100
WIDTH, HEIGHT = 827, 1169  # A4 at 100 dpi
KIND_TITLES = {
    "nghi_quyet": "NGHỊ QUYẾT",
    "ke_hoach": "KẾ HOẠCH",
    "quyet_dinh": "QUYẾT ĐỊNH",
    "huong_dan": "HƯỚNG DẪN",
    "bao_cao": "BÁO CÁO",
    "cong_van": "CÔNG VĂN",
    "thong_bao": "THÔNG BÁO",
}
BODY = [
    "Văn bản này là tài liệu minh họa của bản trình diễn cổng thông tin kiểu mẫu.",
    "Nội dung đầy đủ do cơ quan ban hành cung cấp khi cổng đi vào hoạt động.",
    "Các đơn vị căn cứ trích yếu trên để theo dõi và thực hiện.",
]


def font(size, bold=False):
    name = "DejaVuSans-Bold.ttf" if bold else "DejaVuSans.ttf"
    return ImageFont.truetype(str(FONTS / name), size)


def centred(draw, y, text, size, *, bold=False, left=0, right=WIDTH):
    face = font(size, bold)
    width = draw.textlength(text, font=face)
    draw.text((left + (right - left - width) / 2, y), text, font=face, fill=0)


def page(row):
    image = Image.new("L", (WIDTH, HEIGHT), 255)
    draw = ImageDraw.Draw(image)
    issuer = row["co_quan_ban_hanh"].upper()
    for i, line in enumerate(textwrap.wrap(issuer, 34)[:3]):
        centred(draw, 60 + i * 20, line, 14, bold=True, left=40, right=380)
    centred(draw, 60, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", 14, bold=True, left=380)
    centred(draw, 80, "Độc lập - Tự do - Hạnh phúc", 14, bold=True, left=380)
    centred(draw, 140, f"Số: {row['so_ky_hieu']}", 14, left=40, right=380)
    day, month, year = row["ngay_ban_hanh"].split("/")
    centred(draw, 140, f"Đông Sơn, ngày {day} tháng {month} năm {year}", 14, left=380)
    centred(draw, 230, KIND_TITLES.get(row["loai"], "VĂN BẢN"), 22, bold=True)
    y = 275
    for line in textwrap.wrap(row["trich_yeu"], 62):
        centred(draw, y, line, 16, bold=True)
        y += 26
    y += 40
    for paragraph in BODY:
        for line in textwrap.wrap(paragraph, 78):
            draw.text((90, y), line, font=font(15), fill=0)
            y += 24
        y += 10
    centred(draw, y + 80, "(Bản trình diễn — không có giá trị pháp lý)", 14, left=380)
    return image


def main(folder=HERE / "files"):
    folder.mkdir(exist_ok=True)
    with open(HERE / "documents.csv", encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            path = folder / row["tep"]
            page(row).convert("1").save(path, "PDF", resolution=DPI)
            print(path.name, path.stat().st_size)


if __name__ == "__main__":
    main(*[Path(arg) for arg in sys.argv[1:]])
