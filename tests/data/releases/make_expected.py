"""Write NN-*.expected.json for the press-release corpus, independently of asco-cal.

Each release below is a small hand-typed table, read from the release text (the line
it comes from is quoted in a comment), NOT from the .yaml file and not through asco-cal.
Only the standard library is used: zoneinfo turns each local wall-clock time into UTC.

Row:  E(key, part, local_date, local_start, end, zone)
  key    the session's `id` when the yaml gives one, else its abstract
  part   1, 2, ... for an abstract with `parts:`, else None
  end    "HH:MM" local end (next day if earlier than the start), or "+15m"/"+1h"
         for a start-only session (the duration the yaml file gives, see its comments)
  zone   IANA zone of the wall clock the release writes
unscheduled: keys that have no date or no time (and no all-day rule in the file)
all_day:     (key, date) for date-only sessions in files with all_day_when_no_time: true

Run:  python tests/data/releases/make_expected.py   (rewrites every .expected.json)
"""

import json
import re
from collections.abc import Iterable
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

HERE = Path(__file__).resolve().parent
Row = tuple[str, int | None, str, str, str, str]
RELEASES: list[tuple[str, str, list[Row], list[str], list[tuple[str, str]]]] = []


def E(key: str, part: int | None, day: str, start: str, end: str, zone: str) -> Row:  # noqa: N802
    return (key, part, day, start, end, zone)


def R(  # noqa: N802 - short: one per release
    stem: str,
    zone: str,
    events: Iterable[Row] = (),
    unscheduled: Iterable[str] = (),
    all_day: Iterable[tuple[str, str]] = (),
) -> None:
    RELEASES.append((stem, zone, list(events), list(unscheduled), list(all_day)))


def _instant(day: str, hhmm: str, zone: str) -> datetime:
    y, m, d = map(int, day.split("-"))
    h, mi = map(int, hhmm.split(":"))
    local = datetime(y, m, d, h, mi, tzinfo=ZoneInfo(zone))
    # refuse times that do not exist or exist twice: none of these releases has one
    back = local.astimezone(UTC).astimezone(ZoneInfo(zone))
    assert back.replace(tzinfo=None) == local.replace(tzinfo=None), (day, hhmm, zone)
    assert local.replace(fold=1).utcoffset() == local.utcoffset(), ("ambiguous", day, hhmm, zone)
    return local.astimezone(UTC)


def _duration(text: str) -> timedelta:
    m = re.fullmatch(r"\+(\d+)(m|h)", text)
    assert m, text
    n = int(m.group(1))
    return timedelta(minutes=n) if m.group(2) == "m" else timedelta(hours=n)


def _z(dt: datetime) -> str:
    return dt.strftime("%Y-%m-%dT%H:%M:%SZ")


def build(
    stem: str,
    zone: str,
    events: list[Row],
    unscheduled: list[str],
    all_day: list[tuple[str, str]],
) -> dict[str, Any]:
    out = []
    for key, part, day, start, end, ez in events:
        s = _instant(day, start, ez)
        if end.startswith("+"):
            e = s + _duration(end)
        else:
            e = _instant(day, end, ez)
            if e <= s:  # a range that runs past midnight
                nxt = (date.fromisoformat(day) + timedelta(days=1)).isoformat()
                e = _instant(nxt, end, ez)
        out.append({"key": key, "part": part, "start": _z(s), "end": _z(e)})
    out.sort(key=lambda ev: (ev["start"], ev["key"], ev["part"] or 0))
    return {
        "zone": zone,
        "events": out,
        "unscheduled": list(unscheduled),
        "all_day": [{"key": k, "date": d} for k, d in all_day],
    }


VIE, STO, NYC, CHI, LAX, SIN = (
    "Europe/Vienna",
    "Europe/Stockholm",
    "America/New_York",
    "America/Chicago",
    "America/Los_Angeles",
    "Asia/Singapore",
)
MAD, BCN, BER, ZRH, TOR = (
    "Europe/Madrid",
    "Europe/Madrid",
    "Europe/Berlin",
    "Europe/Zurich",
    "America/Toronto",
)

# 01 Acceleron, EHA 2015, Vienna
R(
    "01-acceleron-eha-2015",
    VIE,
    [
        # "Date: Friday, June 12 / Time: 11:30 - 11:45 AM CEST (Room: Strauss 1)"  (abstract S136)
        E("S136", None, "2015-06-12", "11:30", "11:45", VIE),
        # "Date: Saturday, June 13 / Time: 4:30 - 4:45 PM CEST (Room: C1)"  (abstract S509)
        E("S509", None, "2015-06-13", "16:30", "16:45", VIE),
    ],
)

# 02 Geron, EHA 2018, Stockholm -- the release writes "CET" for a June date (the clock is CEST)
R(
    "02-geron-eha-2018",
    STO,
    [
        # "Abstract Number: S1557 / Date: Sunday, June 17 / Time: 8:30-8:45 am CET"
        E("S1557", None, "2018-06-17", "08:30", "08:45", STO),
    ],
)

# 03 Geron, ASH 2019, Orlando
R(
    "03-geron-ash-2019",
    NYC,
    [
        # "(Abstract #4248) ... Session Date: Monday, December 9, 2019 / Session Time: 6:00 p.m. ET – 8:00 p.m. ET"
        E("4248", None, "2019-12-09", "18:00", "20:00", NYC),
    ],
)

# 04 HUTCHMED, ESMO Asia 2023, Singapore (start-only; the yaml gives defaults: {mini oral: 15m})
R(
    "04-hutchmed-esmoasia-2023",
    SIN,
    [
        # "Abstract # & Link: 77MO ... Date & Time: Friday, December 1, 2023, 11:50 am Singapore time"
        E("77MO", None, "2023-12-01", "11:50", "+15m", SIN),
    ],
)

# 05 Seattle Genetics, ASH 2018, San Diego (no abstract number; start-only, duration: 15m in the yaml)
R(
    "05-seattlegenetics-ash-2018",
    LAX,
    [
        # "oral presentation on Monday, December 3, 2018 at 6:15 p.m. PT"
        E("echelon-2-oral", None, "2018-12-03", "18:15", "+15m", LAX),
    ],
)

# 06 BeiGene, ESMO 2023, Madrid (start-only mini oral; defaults: {mini oral: 15m})
R(
    "06-beigene-esmo-2023",
    MAD,
    [
        # "late-breaking mini oral presentation on October 23 at 2:55 p.m. CEST ... (Abstract LBA58)"
        E("LBA58", None, "2023-10-23", "14:55", "+15m", MAD),
    ],
)

# 07 Zai Lab, ASCO 2023, Chicago (abstract number not in the release excerpt; start-only, 15m)
R(
    "07-zailab-asco-2023",
    CHI,
    [
        # "presented on Tuesday, June 6 at 11:09 a.m. CDT in Hall D1 as a late-breaking abstract"
        E("lunar-lba", None, "2023-06-06", "11:09", "+15m", CHI),
    ],
)

# 08 Innovent, ASCO 2019, Chicago
R(
    "08-innovent-asco-2019",
    CHI,
    [
        # "[Abstract #7533; Monday, June 3, 8:00 AM -11:00 AM CDT]"
        E("7533", None, "2019-06-03", "08:00", "11:00", CHI),
    ],
    unscheduled=[
        # "ORIENT-4 ... will be presented in an oral session" (no date, no time, no number)
        "orient-4-oral",
    ],
)

# 09 CTI BioPharma, SOHO 2022, Houston -- two listings of one slot that agree
R(
    "09-ctibiopharma-soho-2022",
    CHI,
    [
        # "Abstract Number: MPN-145; ... Session Date: September 28; Presentation Time: 5:05-6:30 p.m. CDT (06:05-7:30 p.m. EDT)"
        E("MPN-145", None, "2022-09-28", "17:05", "18:30", CHI),
    ],
)
# the EDT listing, checked: the same two instants
assert _instant("2022-09-28", "18:05", NYC) == _instant("2022-09-28", "17:05", CHI)
assert _instant("2022-09-28", "19:30", NYC) == _instant("2022-09-28", "18:30", CHI)

# 10 CTI BioPharma, ASCO 2015, Chicago
R(
    "10-ctibiopharma-asco-2015",
    CHI,
    [
        # "official ASCO press briefing ... to be held on Saturday, May 30, 2015 at 8:00 a.m. CT" (duration: 1h in the yaml)
        E("press-briefing-targeted-therapy", None, "2015-05-30", "08:00", "+1h", CHI),
    ],
    unscheduled=[
        # "Pacritinib Abstract #LBA7006 ... late-breaking oral presentation" (no date or time given)
        "LBA7006",
    ],
)

# 11 Dana-Farber, AACR 2019, Atlanta (no zone label; the meeting's clock)
R(
    "11-danafarber-aacr-2019",
    NYC,
    [
        # "Presentation Number: 3297 / Poster Board Number: 17 / Session Time: Tuesday, April 2, 8:00 a.m. to 12:00 noon.  Section 27"
        E("3297", None, "2019-04-02", "08:00", "12:00", NYC),
    ],
)

# 12 Penn Medicine, AACR 2024, San Diego (start-only; duration: 1h in the yaml)
R(
    "12-pennmedicine-aacr-2024",
    LAX,
    [
        # "(Abstract LB371; poster board 2) ... late-breaking poster session in Section 54 at 1:30 p.m. PT on Tuesday, April 9"
        E("LB371", None, "2024-04-09", "13:30", "+1h", LAX),
    ],
)

# 13 Institute of Hematology & Blood Diseases Hospital (CAMS), ASH 2024, San Diego -- "(Local Time)"
R(
    "13-ihcams-ash-2024",
    LAX,
    [
        # "Abstract 89 ... Time: December 7, 10:30 AM (Local Time) Venue: Ballroom 20AB"
        E("89", None, "2024-12-07", "10:30", "+15m", LAX),
        # "Abstract 266 ... Time: December 7, 2:15 PM (Local Time) Venue: Room 6CF"
        E("266", None, "2024-12-07", "14:15", "+15m", LAX),
        # "Abstract 304 ... Time: December 7, 4:45 PM (Local Time) Venue: Room 11"
        E("304", None, "2024-12-07", "16:45", "+15m", LAX),
    ],
)

# 14 Yale Cancer Center, ASCO 2023, Chicago (no numbers, no zone; start-only, defaults oral 15m)
R(
    "14-yale-asco-2023",
    CHI,
    [
        # "Oral Abstract Session: Hematologic Malignancies ... IMerge ... June 2 —3:12 PM"
        E("imerge-oral", None, "2023-06-02", "15:12", "+15m", CHI),
        # "Plenary Session ... ADAURA ... Presenter: Roy S. Herbst, MD, PhD. June 4 —3:17 PM"
        E("adaura-plenary", None, "2023-06-04", "15:17", "+15m", CHI),
    ],
)

# 15 Penn Medicine (Abramson), ASCO 2007, Chicago
R(
    "15-pennmedicine-asco-2007",
    CHI,
    [
        # "Friday, June 1st / 1-4 p.m. / Integrating Imaging Tools for Cancer Screening ..."
        E("imaging-tools-education", None, "2007-06-01", "13:00", "16:00", CHI),
        # "... The Biology of Treagtment of HER2-Postitive Breast Cancer" (same 1-4 p.m. slot)
        E("her2-biology-education", None, "2007-06-01", "13:00", "16:00", CHI),
        # "Saturday, June 2nd / 7:30 – 10:30 a.m. / Melanoma – Oral Presentations"
        E("melanoma-oral-session", None, "2007-06-02", "07:30", "10:30", CHI),
        # "8 a.m. – 12 p.m. / Lymphoma and Plasma Cell Disorders – General Poster Session / Poster No: U7  Abstract No. 8057"
        E("8057", None, "2007-06-02", "08:00", "12:00", CHI),
        # "Sunday, June 3rd / 8 a.m. – 12 p.m. / Tumor Biology and Human Genetics ... Poster No: HH3  Abstract No. 10549"
        E("10549", None, "2007-06-03", "08:00", "12:00", CHI),
    ],
)

# 16 UT Health Science Center, SABCS 2011, San Antonio
R(
    "16-uthealth-sabcs-2011",
    CHI,
    [
        # "A press briefing on the IOM report is scheduled for before the presentation at 12:30 p.m." (Wed Dec 7; duration: 1h)
        E("iom-press-briefing", None, "2011-12-07", "12:30", "+1h", CHI),
        # "will moderate an Institute of Medicine (IOM) report ... at 1:45 p.m. Wednesday, Dec. 7" (duration: 1h)
        E("iom-report-session", None, "2011-12-07", "13:45", "+1h", CHI),
        # "One of these, at 5 p.m. on Wednesday, Dec. 7, will review several abstracts ..." (duration: 1h)
        E("press-briefing-osteoporosis", None, "2011-12-07", "17:00", "+1h", CHI),
        # "The presentation is from 7 a.m. to 9 a.m. on Thursday in Exhibit Hall A-B" (Thursday of Dec. 6-10 = Dec. 8)
        E("ramirez-poster", None, "2011-12-08", "07:00", "09:00", CHI),
    ],
)

# 17 UT Health San Antonio, SABCS 2017, San Antonio
R(
    "17-uthealth-sabcs-2017",
    CHI,
    [
        # "Dec. 5, 6:30 p.m., Hall 2 ― A 30-minute presentation will recognize key people ..."
        E("anniversary-presentation", None, "2017-12-05", "18:30", "+30m", CHI),
        # "two press conferences on Wednesday, Dec. 6, at 7:15 a.m. and 12:15 p.m." (duration: 45m each)
        E("press-conference-am", None, "2017-12-06", "07:15", "+45m", CHI),
        E("press-conference-pm", None, "2017-12-06", "12:15", "+45m", CHI),
        # "a ... Facebook Live session beginning at 6:15 p.m. on Friday, Dec. 8" (duration: 1h)
        E("facebook-live", None, "2017-12-08", "18:15", "+1h", CHI),
    ],
)

# 18 UCSF, SABCS 2022, San Antonio
R(
    "18-ucsf-sabcs-2022",
    CHI,
    [
        # "Panel Session: Thursday, Dec 8, 2 pm to 3 pm CT"
        E("rip-mtd-panel", None, "2022-12-08", "14:00", "15:00", CHI),
    ],
)

# 19 Moffitt Cancer Center, ASH 2011, San Diego -- weekday only ("Sunday" of Dec. 10-13 = Dec. 11)
R(
    "19-moffitt-ash-2011",
    LAX,
    [
        # "will give a Plenary Session Presentation at 2:05 p.m. Sunday" (duration: 15m)
        E("anasetti-plenary", None, "2011-12-11", "14:05", "+15m", LAX),
    ],
)

# 20 ASH press office (PRNewswire-USNewswire), ASH 2011, San Diego
R(
    "20-ash-hct-press-2011",
    LAX,
    [
        # "This press conference will take place on Saturday, December 10, at 11:00 a.m. PST." (duration: 1h)
        E("hct-press-conference", None, "2011-12-10", "11:00", "+1h", LAX),
    ],
    unscheduled=[
        # "... From Unrelated Donors: Results of ... BMT CTN Protocol 0201 ... [Abstract 1]" (no time of its own)
        "1",
    ],
)

# 21 ESMO, World Congress on GI Cancer 2019, Barcelona
R(
    "21-esmo-worldgi-2019",
    BCN,
    [
        # "Wednesday, 3 July, 11:45-12:30 (CEST) - Opening Press Conference"
        E("opening-press-conference", None, "2019-07-03", "11:45", "12:30", BCN),
        # "Thursday, 4 July, 8:00-8:45 (CEST) - Key studies of the day"
        E("key-studies-press-conference", None, "2019-07-04", "08:00", "08:45", BCN),
    ],
)

# 22 ESMO, ESMO 2018, Munich (24-hour times, no zone label)
R(
    "22-esmo-esmo-2018",
    BER,
    [
        # "The Opening Press Conference (3) will take place on Friday 19 October, 10:45-11:30"
        E("opening-press-conference", None, "2018-10-19", "10:45", "11:30", BER),
        # "Breast cancer - Saturday 20 October, 08:15-09:00"
        E("briefing-breast", None, "2018-10-20", "08:15", "09:00", BER),
        # "Ovarian cancer - Saturday 20 October, 11:15-12:00"
        E("briefing-ovarian", None, "2018-10-20", "11:15", "12:00", BER),
        # "Prostate and kidney cancers - Sunday 21 October, 08:15-09:00"
        E("briefing-prostate-kidney", None, "2018-10-21", "08:15", "09:00", BER),
        # "Head and neck cancers - Monday 22 October, 08:15-09:00"
        E("briefing-head-neck", None, "2018-10-22", "08:15", "09:00", BER),
        # "A wrap up Q&A session ... is scheduled for Tuesday 23 October at 08:15" (duration: 45m)
        E("wrap-up-qa", None, "2018-10-23", "08:15", "+45m", BER),
    ],
)

# 23 ESMO, ESMO Immuno-Oncology Congress 2019, Geneva (start-only; duration: 1h each)
R(
    "23-esmo-immunooncology-2019",
    ZRH,
    [
        # "Status of CAR T-cells for cancer - Keynote lecture by Carl H. June (Wednesday, 11 December at 13:00 CET)"
        E("june-keynote", None, "2019-12-11", "13:00", "+1h", ZRH),
        # "Mechanisms of immunotherapy efficacy versus resistance - Keynote lecture ... (Thursday, 12 December at 14:20)"
        E("gajewski-keynote", None, "2019-12-12", "14:20", "+1h", ZRH),
        # "Artificial intelligence (AI) meets immune-oncology (Friday, 13 December at 14:30 CET)"
        E("ai-meets-io", None, "2019-12-13", "14:30", "+1h", ZRH),
        # "Reducing costs by decreasing either dose or frequency of dosing (Saturday, 14 December at 11:00 CET)"
        E("reducing-costs", None, "2019-12-14", "11:00", "+1h", ZRH),
    ],
)

# 24 IASLC (Marketwired), WCLC 2016, Vienna
R(
    "24-iaslc-wclc-2016",
    VIE,
    [
        # "Sunday, Dec. 4, 2016, 10:30-11:45 a.m. CET - Welcome to IASLC 17 th WCLC, Advocacy, and Honored Guests"
        E("press-conference-dec-4", None, "2016-12-04", "10:30", "11:45", VIE),
        # "Monday, Dec. 5, 2016, 10:30-11:45 a.m. CET - Active prevention of lung cancer ..."
        E("press-conference-dec-5", None, "2016-12-05", "10:30", "11:45", VIE),
        # "Tuesday, Dec. 6, 2016, 10:30-11:45 a.m. CET - Accurate diagnosis ..."
        E("press-conference-dec-6", None, "2016-12-06", "10:30", "11:45", VIE),
        # "Wednesday, Dec. 7, 2016, 10:30-11:45 a.m. CET - Advanced care and progress ..."
        E("press-conference-dec-7", None, "2016-12-07", "10:30", "11:45", VIE),
    ],
)

# 25 IASLC Lung Cancer News, WCLC 2022, Vienna
R(
    "25-iaslc-wclc-2022",
    VIE,
    [
        # "Plenary 3: Presidential Symposium ... Time: 08:30-10:20 CEST / Date: Monday, August 8 / Location: Hall C1"
        E("presidential-symposium", None, "2022-08-08", "08:30", "10:20", VIE),
    ],
)

# 26 IASLC Lung Cancer News, WCLC 2018, Toronto (start-only; durations in the yaml)
R(
    "26-iaslc-wclc-2018",
    TOR,
    [
        # "Sunday evening, attendees can enjoy the IASLC Foundation Concert at 5:45 PM (EDT)" (Sunday, September 23; 1h)
        E("foundation-concert", None, "2018-09-23", "17:45", "+1h", TOR),
        # "and then gather with colleagues at the Opening Ceremony at 7:30 PM (EDT)" (1h)
        E("opening-ceremony", None, "2018-09-23", "19:30", "+1h", TOR),
    ],
)

# 27 ESMO, ESMO 2017, Madrid (start-only; duration: 45m for press events)
R(
    "27-esmo-esmo-2017",
    MAD,
    [
        # "The opening press conference at 10:45 CEST on Friday 8 September"
        E("opening-press-conference", None, "2017-09-08", "10:45", "+45m", MAD),
        # "Press conferences on late breaking trials will take place on Saturday, Sunday and Monday at 08:15 CEST"
        E("lba-press-conference-sat", None, "2017-09-09", "08:15", "+45m", MAD),
        E("lba-press-conference-sun", None, "2017-09-10", "08:15", "+45m", MAD),
        E("lba-press-conference-mon", None, "2017-09-11", "08:15", "+45m", MAD),
        # "A media brief on ... (AYA) cancer patients will take place on Saturday 9 September 2017 at 13:45 CEST"
        E("aya-media-brief", None, "2017-09-09", "13:45", "+45m", MAD),
        # "A cancer policy press conference on Monday 11 September at 15:00 CEST"
        E("cancer-policy-press-conference", None, "2017-09-11", "15:00", "+45m", MAD),
    ],
    unscheduled=[
        # "Attend the wrap up press conference with Press Committee Chair ..." (no day or time in the excerpt)
        "wrap-up-press-conference",
    ],
)

# 28 Puma Biotechnology, AACR 2016, New Orleans (dates, no times; all_day_when_no_time: true)
R(
    "28-puma-aacr-2016",
    CHI,
    all_day=[
        # "Abstract Number 298: ... On Sunday April 17th, preclinical data was presented"
        ("298", "2016-04-17"),
        # "Abstract Number 3140: ... On Tuesday April 19th, data was presented"
        ("3140", "2016-04-19"),
    ],
)

# 29 Seattle Genetics & Millennium, ISHL 2010, Cologne (dates, no times; all_day_when_no_time: true)
R(
    "29-seattlegenetics-ishl-2010",
    BER,
    all_day=[
        # "The following posters will be presented on Tuesday, October 26, 2010:"
        ("113", "2010-10-26"),  # "(Abstract #113)"
        ("74", "2010-10-26"),  # "(Abstract #74)"
        ("49", "2010-10-26"),  # "(Abstract #49)"
    ],
)

# 30 Oncolytics Biotech, ASCO 2009, Orlando (no numbers, no dates, no times)
R(
    "30-oncolytics-asco-2009",
    NYC,
    unscheduled=[
        "mita-sarcoma-poster",  # "Dr. Monica Mita and colleagues are scheduled to deliver a poster presentation"
        "debono-gemcitabine-poster",  # "Dr. Johann de Bono and colleagues are scheduled to deliver a poster presentation"
        "goel-dose-escalation-poster",  # "Dr. Sanjay Goel and colleagues are scheduled to deliver a poster"
    ],
)


def main() -> None:
    for stem, zone, events, unscheduled, all_day in RELEASES:
        data = build(stem, zone, events, unscheduled, all_day)
        path = HERE / f"{stem}.expected.json"
        path.write_text(json.dumps(data, indent=2) + "\n", encoding="utf-8")
        print(
            f"{path.name}: {len(data['events'])} events, "
            f"{len(data['unscheduled'])} unscheduled, {len(data['all_day'])} all-day"
        )


if __name__ == "__main__":
    main()
