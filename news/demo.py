# ruff: noqa: E501 (long Vietnamese sentences of demo data)
"""Demo data of this app for `manage.py load_demo` (idempotent).

Three sections and a dozen published articles about the demo district in early 2017,
written for this portal (no sentence is taken from the seed article). The Q1/2017
briefing is not here: registrations.briefing drafts it from the figures and
load_demo publishes it.
"""

from datetime import datetime

from kieumau.dates import VIETNAM

from .models import Article, ArticleStatus, Section, Tag

SECTIONS = [
    (
        "tin-tuc-su-kien",
        "Tin tức – Sự kiện",
        1,
        "Hoạt động của huyện, xã và các đơn vị.",
    ),
    (
        "xay-dung-kieu-mau",
        "Xây dựng con người, cơ quan, đơn vị kiểu mẫu",
        2,
        "Cách làm, gương điển hình và tiến độ các danh hiệu kiểu mẫu.",
    ),
    ("thong-bao", "Thông báo", 3, "Lịch, thời hạn và hướng dẫn dành cho các đơn vị."),
]

# (slug, section, published (VN time), title, lead, paragraphs, credit, tags, featured)
ARTICLES = [
    (
        "dong-son-trien-khai-ke-hoach-kieu-mau-nam-2017",
        "tin-tuc-su-kien",
        (2017, 1, 6, 8, 15),
        "Đông Sơn triển khai kế hoạch xây dựng cơ quan, đơn vị kiểu mẫu năm 2017",
        "Huyện giao chỉ tiêu cụ thể cho từng khối cơ quan, xã và trường học, kèm lộ "
        "trình hoàn thành đến từng năm.",
        [
            "Đầu năm 2017, Ủy ban nhân dân huyện Đông Sơn ban hành kế hoạch năm về xây "
            "dựng con người, cơ quan, đơn vị kiểu mẫu. Mỗi đơn vị nhận một bảng tiêu "
            "chí riêng theo loại hình: cơ quan hành chính, xã, thôn và khu phố, trường "
            "học các cấp.",
            "Kế hoạch yêu cầu thủ trưởng đơn vị tự rà soát từng chỉ tiêu, xác định "
            "năm có thể hoàn thành và đăng ký với huyện. Những đơn vị có điều kiện được "
            "khuyến khích đăng ký sớm hơn lộ trình chung.",
            "Văn phòng huyện được giao tổng hợp tiến độ theo quý và công khai trên cổng "
            "thông tin để người dân cùng theo dõi.",
        ],
        "Thu Hà",
        ["kế hoạch", "năm 2017"],
        False,
    ),
    (
        "dong-khe-chinh-trang-nha-van-hoa-thon",
        "xay-dung-kieu-mau",
        (2017, 1, 14, 9, 40),
        "Xã Đông Khê ra quân chỉnh trang nhà văn hóa các thôn",
        "Nhiều thôn góp ngày công, vật liệu để sửa mái, lát sân và làm lại khu vệ "
        "sinh của nhà văn hóa.",
        [
            "Sáng cuối tuần, đoàn viên thanh niên và các chi hội phụ nữ xã Đông Khê "
            "cùng có mặt tại nhà văn hóa các thôn để dọn dẹp, quét vôi và trồng thêm "
            "cây xanh quanh sân.",
            "Theo cán bộ văn hóa xã, nhà văn hóa thôn là tiêu chí cần nhiều nguồn lực "
            "nhất. Xã chọn cách làm từng phần: việc nào dân tự làm được thì làm trước, "
            "hạng mục cần kinh phí lớn thì lập dự toán trình huyện hỗ trợ.",
            "<strong>Đông Khê</strong> đặt mục tiêu mọi thôn có nhà văn hóa đạt chuẩn "
            "trước khi tổng kết năm.",
        ],
        "Quang Minh, Lan Phương",
        ["nhà văn hóa", "Đông Khê"],
        False,
    ),
    (
        "thong-bao-thoi-han-dang-ky-danh-hieu-kieu-mau-2017",
        "thong-bao",
        (2017, 1, 20, 14, 0),
        "Thông báo thời hạn đăng ký danh hiệu kiểu mẫu năm 2017",
        "Các cơ quan, xã, thôn, khu phố và trường học gửi đăng ký năm hoàn thành danh "
        "hiệu trước ngày 28/02/2017.",
        [
            "Để tổng hợp tiến độ quý I, Văn phòng huyện đề nghị các đơn vị hoàn tất "
            "đăng ký năm hoàn thành danh hiệu kiểu mẫu <strong>trước ngày "
            "28/02/2017</strong>.",
            "Đơn vị đăng ký trực tuyến tại mục “Đăng ký của đơn vị” sau khi đăng nhập, "
            "hoặc gửi bảng đăng ký theo mẫu về Văn phòng huyện. Trưởng đơn vị chỉ thay "
            "đổi được đăng ký của đơn vị mình.",
            "Đơn vị đã đăng ký năm trước không phải đăng ký lại, trừ khi muốn điều "
            "chỉnh năm hoàn thành.",
        ],
        "Văn phòng huyện",
        ["đăng ký", "thời hạn"],
        False,
    ),
    (
        "doan-cong-tac-huyen-tham-cac-truong-mam-non",
        "tin-tuc-su-kien",
        (2017, 2, 9, 10, 5),
        "Đoàn công tác của huyện thăm các trường mầm non đăng ký kiểu mẫu",
        "Đoàn kiểm tra bếp ăn, sân chơi và hồ sơ chuyên môn tại bốn trường mầm non.",
        [
            "Trong hai ngày, đoàn công tác của huyện đã đến các trường mầm non Đông "
            "Hòa, Đông Phú, Đông Thịnh và Đông Xuân. Đây là những trường đăng ký hoàn "
            "thành danh hiệu ngay trong năm 2017.",
            "Tại mỗi trường, đoàn xem bếp một chiều, khu vui chơi ngoài trời và cách "
            "nhà trường lưu hồ sơ theo dõi sức khỏe trẻ. Đoàn cũng trao đổi với phụ "
            "huynh về chất lượng bữa ăn bán trú.",
            "Đoàn đề nghị các trường bổ sung đồ chơi vận động và cập nhật đủ số liệu "
            "tiến độ trước kỳ tổng hợp quý.",
        ],
        "Lan Phương",
        ["trường học", "mầm non"],
        False,
    ),
    (
        "bhxh-huyen-dang-ky-hoan-thanh-truoc-lo-trinh",
        "xay-dung-kieu-mau",
        (2017, 2, 17, 8, 0),
        "Cơ quan BHXH huyện đăng ký hoàn thành kiểu mẫu sớm hơn lộ trình",
        "Cơ quan xác định đủ điều kiện về cải cách hành chính và nề nếp công vụ để "
        "về đích trong năm 2017.",
        [
            "Theo lộ trình chung, cơ quan Bảo hiểm xã hội huyện hoàn thành danh hiệu "
            "cơ quan kiểu mẫu vào năm sau. Sau khi tự chấm từng chỉ tiêu, lãnh đạo cơ "
            "quan quyết định đăng ký sớm một năm.",
            "Bộ phận một cửa đã niêm yết đầy đủ thủ tục, có ghế chờ và số điện thoại "
            "đường dây nóng. Cán bộ đeo thẻ, giữ giờ giấc và tiếp nhận hồ sơ qua mạng.",
            "Cơ quan cũng nhận giúp một thôn khó khăn hoàn thiện sân thể thao như một "
            "phần của phong trào chung.",
        ],
        "Thu Hà",
        ["cơ quan", "vượt lộ trình"],
        True,
    ),
    (
        "phu-nu-cac-thon-ra-quan-ve-sinh-duong-lang",
        "xay-dung-kieu-mau",
        (2017, 2, 25, 16, 30),
        "Phụ nữ các thôn ra quân làm sạch đường làng, ngõ xóm",
        "Mỗi chi hội nhận một đoạn đường tự quản, trồng hoa và đặt thùng rác có nắp.",
        [
            "Hưởng ứng phong trào xây dựng thôn, khu phố kiểu mẫu, hội viên phụ nữ nhiều "
            "thôn đã chia nhau nhận các đoạn đường tự quản.",
            "Các chi hội tổ chức dọn cỏ, khơi thông rãnh thoát nước và trồng hoa hai "
            "bên đường. Mỗi tổ có lịch trực và sổ ghi việc đã làm.",
            "Ban công tác mặt trận thôn sẽ chấm điểm các đoạn đường mỗi quý và biểu "
            "dương tổ làm tốt trong buổi họp thôn.",
        ],
        "Minh Thu",
        ["thôn kiểu mẫu", "môi trường"],
        False,
    ),
    (
        "tap-huan-nhap-so-lieu-tien-do-theo-quy",
        "tin-tuc-su-kien",
        (2017, 3, 3, 9, 0),
        "Tập huấn nhập số liệu tiến độ theo quý cho cán bộ các đơn vị",
        "Cán bộ đầu mối của cơ quan, xã và trường học làm quen với biểu mẫu báo cáo "
        "tiến độ mới.",
        [
            "Văn phòng huyện tổ chức buổi tập huấn cho cán bộ đầu mối của các đơn vị "
            "về cách ghi nhận tiến độ từng chỉ tiêu theo quý.",
            "Học viên được hướng dẫn phân biệt chỉ tiêu dạng đạt / chưa đạt với chỉ "
            "tiêu tính theo tỷ lệ phần trăm hay số lượng, và cách ghi chú khi số liệu "
            "thay đổi.",
            "Sau buổi tập huấn, mỗi đơn vị nhập thử số liệu quý I để huyện kiểm tra "
            "trước khi tổng hợp chính thức.",
        ],
        "Quang Minh",
        ["tiến độ", "tập huấn"],
        False,
    ),
    (
        "thong-bao-lich-tiep-nhan-bao-cao-tien-do-quy-i-2017",
        "thong-bao",
        (2017, 3, 6, 15, 20),
        "Lịch tiếp nhận báo cáo tiến độ quý I năm 2017",
        "Số liệu quý I được nhận đến hết ngày 31/03/2017; sau thời hạn này chỉ cán "
        "bộ giám sát được điều chỉnh.",
        [
            "Các đơn vị cập nhật số liệu tiến độ quý I năm 2017 trên cổng thông tin "
            "<strong>đến hết ngày 31/03/2017</strong>.",
            "Sau thời hạn, số liệu của quý được khóa để bảo đảm báo cáo giao ban thống "
            "nhất. Trường hợp cần sửa, đơn vị liên hệ cán bộ giám sát tiến độ của huyện.",
            "Mọi thắc mắc xin gửi về Văn phòng huyện trong giờ hành chính.",
        ],
        "Văn phòng huyện",
        ["tiến độ", "thời hạn"],
        False,
    ),
    (
        "phat-dong-phong-trao-nguoi-cong-dan-kieu-mau",
        "tin-tuc-su-kien",
        (2017, 3, 10, 7, 45),
        "Đông Sơn phát động phong trào người công dân kiểu mẫu",
        "Mỗi gia đình được khuyến khích đăng ký những việc làm cụ thể, gần gũi với "
        "đời sống hằng ngày.",
        [
            "Lễ phát động diễn ra tại sân vận động huyện với sự tham gia của đại diện "
            "các xã, thị trấn, nhà trường và đoàn thể.",
            "Người công dân kiểu mẫu được hiểu bằng những việc nhỏ: chấp hành luật giao "
            "thông, giữ vệ sinh nơi ở, giúp đỡ hàng xóm, cho con đến trường đúng độ "
            "tuổi.",
            "Các thôn sẽ đưa nội dung này vào hương ước và ghi nhận những gương tốt trong "
            "các buổi sinh hoạt cộng đồng.",
        ],
        "Thu Hà, Minh Thu",
        ["công dân kiểu mẫu"],
        False,
    ),
    (
        "nha-van-hoa-thon-kho-khan-va-cach-lam",
        "xay-dung-kieu-mau",
        (2017, 3, 14, 10, 30),
        "Nhà văn hóa thôn: khó khăn chung và cách làm riêng của từng xã",
        "Thiếu mặt bằng và kinh phí là hai vướng mắc lớn nhất; mỗi xã tìm lời giải "
        "khác nhau.",
        [
            "Qua rà soát, nhiều thôn chưa có nhà văn hóa đạt chuẩn về diện tích hoặc "
            "trang thiết bị. Đây là tiêu chí dễ chậm nhất trong bộ tiêu chí thôn, khu "
            "phố kiểu mẫu.",
            "Có xã chọn mở rộng nhà văn hóa cũ thay vì xây mới. Có nơi vận động con em "
            "xa quê đóng góp trang thiết bị, hoặc dùng chung sân thể thao với trường "
            "học gần đó.",
            "Huyện đề nghị các xã báo cáo riêng hạng mục này mỗi quý để kịp thời hỗ "
            "trợ những thôn gặp khó.",
        ],
        "Lan Phương",
        ["nhà văn hóa", "thôn kiểu mẫu"],
        False,
    ),
    (
        "truong-tieu-hoc-ngay-hoi-doc-sach",
        "tin-tuc-su-kien",
        (2017, 3, 24, 9, 10),
        "Học sinh tiểu học hào hứng với ngày hội đọc sách",
        "Thư viện xanh dưới tán cây trở thành góc yêu thích của học sinh vào giờ ra "
        "chơi.",
        [
            "Các trường tiểu học đăng ký kiểu mẫu đồng loạt tổ chức ngày hội đọc sách, "
            "mời phụ huynh cùng tham gia.",
            "Học sinh mang sách cũ đến trao đổi, kể lại câu chuyện mình thích và vẽ "
            "tranh minh họa. Nhà trường bố trí giá sách ngoài trời để các em đọc trong "
            "giờ ra chơi.",
            "Phong trào đọc sách là một trong những chỉ tiêu về môi trường học tập thân "
            "thiện mà các trường đang hoàn thiện.",
        ],
        "Minh Thu",
        ["trường học", "tiểu học"],
        False,
    ),
    (
        "huong-dan-tra-cuu-tien-do-kieu-mau",
        "thong-bao",
        (2017, 4, 3, 8, 0),
        "Hướng dẫn tra cứu tiến độ kiểu mẫu trên cổng thông tin",
        "Người dân xem được số đơn vị đăng ký, tiêu chí còn chậm và tiến độ của "
        "từng đơn vị mà không cần đăng nhập.",
        [
            "Mục “Tiến độ kiểu mẫu” trên thanh điều hướng cho biết số cơ quan, xã, "
            "thôn, khu phố và trường học đã đăng ký hoàn thành trong năm.",
            "Bảng tiêu chí chậm tiến độ được sắp từ tỷ lệ đạt thấp nhất. Bấm vào tên "
            "một đơn vị để xem các tiêu chí đơn vị đó đã đạt.",
            "Số liệu được cập nhật sau mỗi kỳ báo cáo quý. Ô tìm kiếm ở đầu trang chấp "
            "nhận cả từ khóa không dấu, ví dụ “dong khe”.",
        ],
        "Văn phòng huyện",
        ["tiến độ", "hướng dẫn"],
        False,
    ),
]


def load(*, stdout):
    """Create the demo sections and articles that do not exist yet."""
    sections = {}
    for slug, name, order, description in SECTIONS:
        sections[slug], _ = Section.objects.get_or_create(
            slug=slug,
            defaults={"name": name, "order": order, "description": description},
        )
    created = 0
    for (
        slug,
        section,
        when,
        title,
        lead,
        paragraphs,
        credit,
        tags,
        featured,
    ) in ARTICLES:
        article, was_created = Article.objects.get_or_create(
            slug=slug,
            defaults={
                "title": title,
                "section": sections[section],
                "lead": lead,
                "body": "".join(f"<p>{p}</p>" for p in paragraphs),
                "credit": credit,
                "status": ArticleStatus.PUBLISHED,
                "published_at": datetime(*when, tzinfo=VIETNAM),
                "is_featured": featured,
            },
        )
        if was_created:
            created += 1
            article.tags.set([Tag.objects.get_or_create(name=name)[0] for name in tags])
    stdout.write(f"Tin tức: {len(sections)} chuyên mục, {created} bài viết mới.")
