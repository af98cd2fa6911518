#!/bin/sh
# The peer benchmark: one cases CSV of ROWS rows (a million by default), from raw file
# to the quarter's regulator workbook, by utilscore (ingest, then report) and by the
# pandas + openpyxl pipeline in peer.py, each timed with /usr/bin/time -v (wall time
# and the process's peak resident set size).
#
#   bench/peer/run.sh [ROWS [QUARTER [WORKDIR]]]
#
# Needs python3 with pandas and openpyxl (Debian: apt-get install -y python3-pandas
# python3-openpyxl); PYTHON names another interpreter. Run from the repository root.
# On a shared machine, read the CPU times (user + sys) beside the wall times.
set -eu
rows=${1:-1000000}
quarter=${2:-2024Q4}
work=${3:-${TMPDIR:-/tmp}/utilscore-peer}
mkdir -p "$work"
go build -o "$work/utilscore" ./cmd/utilscore
[ -f "$work/cases-$rows.csv" ] || go run ./bench/peer/casescsv "$work/cases-$rows.csv" "$rows"
"$work/utilscore" calendar --from 2019-01-01 --to 2026-12-31 |
	awk 'BEGIN { print "day,is_workday" } /^[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9] / { print $1 "," ($3 == "working" ? "true" : "false") }' >"$work/calendar.csv"
rm -rf "$work/db.duckdb" "$work/db.duckdb.wal" "$work/out" "$work/peer.xlsx"

measure() { # name command...: runs the command under time -v, prints wall seconds and peak MB
	name=$1
	shift
	/usr/bin/time -v "$@" >"$work/$name.out" 2>"$work/$name.time" || { cat "$work/$name.out" "$work/$name.time" >&2; exit 1; }
	awk -v name="$name" -F': ' '
		/Elapsed \(wall clock\)/ { n = split($2, p, ":"); s = 0; for (i = 1; i <= n; i++) s = s * 60 + p[i] }
		/User time|System time/ { cpu += $2 }
		/Maximum resident set size/ { kb = $2 }
		END { printf "%-8s wall %8.1f s   cpu %8.1f s   peak %6.0f MB\n", name, s, cpu, kb / 1024 }' "$work/$name.time"
}

echo "$rows rows, quarter $quarter, $(nproc) cores"
measure ingest "$work/utilscore" ingest --db "$work/db.duckdb" "$work/cases-$rows.csv"
measure report "$work/utilscore" report --db "$work/db.duckdb" --period "$quarter" --audience regulator --out "$work/out"
measure peer "${PYTHON:-python3}" bench/peer/peer.py "$work/cases-$rows.csv" "$work/calendar.csv" "$quarter" "$work/peer.xlsx"
