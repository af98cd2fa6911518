"""The pipeline a data team would write instead of utilscore, for the peer benchmark.

Reads a cases CSV with pandas, measures each case's connection time in working days
by merging the calendar on the application and connection dates, takes the quarter's
medians and means by utility, class and district, and writes them with the quarter's
case list (connected in the quarter, or open at its end) to an .xlsx in openpyxl's
write-only mode. Working time is computed as utilscore computes it: whole working days
before each date, plus the elapsed part of a working day, less the customer's pause.

    python3 peer.py CASES.csv CALENDAR.csv 2024Q4 OUT.xlsx
"""

import sys

import pandas as pd
from openpyxl import Workbook

TZ = "Asia/Shanghai"


def quarter_bounds(label):
    year, q = int(label[:4]), int(label[5])
    start = pd.Timestamp(year=year, month=3 * q - 2, day=1)
    return start, start + pd.DateOffset(months=3)


def working_position(times, cal):
    """Working days before each instant's date, plus the elapsed share of that date
    when it is a working day (NaN outside the calendar)."""
    day = times.dt.normalize()
    merged = pd.DataFrame({"day": day}).merge(cal, on="day", how="left")
    seconds = (times - day).dt.total_seconds().to_numpy()
    elapsed = merged["is_workday"].fillna(False).to_numpy() * seconds
    return merged["workdays_before"].to_numpy() + elapsed / 86400.0


def main(cases_path, calendar_path, quarter, out_path):
    start, end = quarter_bounds(quarter)
    cal = pd.read_csv(calendar_path, parse_dates=["day"])
    cal["is_workday"] = cal["is_workday"].astype(bool)
    cal = cal.sort_values("day")
    cal["workdays_before"] = cal["is_workday"].cumsum() - cal["is_workday"]

    cases = pd.read_csv(cases_path, dtype=str, keep_default_na=False, na_values=[""])
    for col in ("applied_at", "connected_at"):
        cases[col] = pd.to_datetime(cases[col], errors="coerce", format="%Y-%m-%d %H:%M:%S")
    cases["suspended_days"] = pd.to_numeric(cases["suspended_days"], errors="coerce").fillna(0)
    cases = cases.dropna(subset=["applied_at"])

    connected = cases[(cases["status"] == "connected") & (cases["connected_at"] >= start) & (cases["connected_at"] < end)].copy()
    connected["connection_wd"] = (
        working_position(connected["connected_at"], cal) - working_position(connected["applied_at"], cal) - connected["suspended_days"]
    ).clip(lower=0)

    figures = []
    for keys in (["utility"], ["utility", "customer_class"], ["utility", "district"]):
        g = connected.groupby(keys)["connection_wd"].agg(["median", "mean", "count"]).reset_index()
        for col in ("utility", "customer_class", "district"):
            if col not in g:
                g[col] = ""
        figures.append(g)
    figures = pd.concat(figures)[["utility", "customer_class", "district", "median", "mean", "count"]]

    open_at_end = cases[
        (cases["applied_at"] < end)
        & ~cases["status"].isin(["cancelled", "withdrawn"])
        & (cases["connected_at"].isna() | (cases["connected_at"] >= end))
    ].copy()
    open_at_end["connection_wd"] = (
        working_position(pd.Series(end, index=open_at_end.index), cal)
        - working_position(open_at_end["applied_at"], cal)
        - open_at_end["suspended_days"]
    ).clip(lower=0)
    listed = pd.concat([connected, open_at_end]).sort_values("connection_wd", ascending=False)

    wb = Workbook(write_only=True)
    sheet = wb.create_sheet("figures")
    sheet.append(["utility", "customer_class", "district", "median_wd", "mean_wd", "cases"])
    for row in figures.itertuples(index=False):
        sheet.append(list(row))
    sheet = wb.create_sheet("cases")
    columns = ["case_id", "utility", "customer_class", "district", "status", "applied_at", "connected_at", "connection_wd"]
    sheet.append(columns)
    for row in listed[columns].itertuples(index=False):
        sheet.append([None if pd.isna(v) else (v.to_pydatetime() if isinstance(v, pd.Timestamp) else v) for v in row])
    wb.save(out_path)
    print(f"{len(connected)} connected in {quarter}, {len(open_at_end)} open at its end, {len(figures)} figures")


if __name__ == "__main__":
    main(*sys.argv[1:5])
