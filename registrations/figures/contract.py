"""CONTRACT §3's JSON summary, ``/api/tong-hop/?nam=Y&quy=Q``."""

from .evaluation import evaluate
from .rules import ahead_of_roadmap, registrations_by_kind


def summary_from(evaluation, by_kind, ahead_codes):
    """The JSON of CONTRACT §3 from computed parts."""
    return {
        "nam": evaluation.year,
        "quy": evaluation.quarter,
        "dang_ky": by_kind,
        "vuot_lo_trinh": sorted(ahead_codes),
        "tieu_chi_cham": [
            {
                "ma_danh_hieu": c.title_code,
                "ma_tieu_chi": c.code,
                "ten_tieu_chi": c.name,
                "ty_le_dat": c.rate_rounded,
                "so_dang_ky": c.registrations,
            }
            for c in evaluation.criteria
        ],
        "don_vi": [
            {"ma_don_vi": u.code, "tien_do": u.progress_rounded}
            for u in evaluation.units_by_code()
        ],
    }


def summary(year, quarter):
    """CONTRACT §3's ``/api/tong-hop/`` answer for (Y, Q); every key always there."""
    evaluation = evaluate(year, quarter)
    ahead = ahead_of_roadmap(year).values_list("code", flat=True)
    return summary_from(evaluation, registrations_by_kind(year), list(ahead))
