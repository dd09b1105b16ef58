"""The scale-out check (docs/scale-out.md): runs sql/contract_aggregation.sql with
DuckDB and with Spark (local[*]) over a sample, builds packs from each result and
from the raw files, and fails unless every figures.json agrees (data currency, which
names the source files, aside). Run through scripts/scale-out-check."""
import argparse, csv, json, os, re, shutil, subprocess, sys, time
import xml.etree.ElementTree as ET

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
BOARDPACK = os.path.join(ROOT, ".build", "release", "boardpack")
QUERY = open(os.path.join(ROOT, "sql", "contract_aggregation.sql"), encoding="utf-8").read()
COLUMNS = [
    "financial_year", "financial_month", "organisation_identifier_code_of_commissioner",
    "organisation_identifier_code_of_provider", "point_of_delivery_code", "activity_treatment_function_code",
    "contract_monitoring_planned_activity", "contract_monitoring_actual_activity",
    "contract_monitoring_planned_price", "contract_monitoring_actual_price", "date_and_time_data_set_created",
]
NS = "{urn:boardpack:contract-monitoring:1}"
# The reporting month of the shipped sample, and of the national sample written with --months 7.
PERIOD = "2026-10"


def fold(name):
    """A column name as BoardPack compares it: case folded; spaces, _, -, brackets dropped."""
    return re.sub(r"[\s_\-()\[\]{}]", "", name.lower())


ALIASES = {"commissionercode": 2, "providercode": 3, "pod": 4, "tfc": 5, "plannedactivity": 6,
           "actualactivity": 7, "plannedprice": 8, "actualprice": 9}


def layout_views(inputs):
    """The column mapping of each activity file: BoardPack's names and aliases, folded, plus the
    [columns.activity] and [columns.activity.PROVIDER] tables of inputs/boardpack.toml."""
    import tomllib
    general, per_provider = {}, {}
    path = os.path.join(inputs, "boardpack.toml")
    if os.path.exists(path):
        tables = tomllib.load(open(path, "rb")).get("columns", {}).get("activity", {})
        for key, value in tables.items():
            if isinstance(value, dict):
                per_provider[key] = {fold(k): fold(v) for k, v in value.items()}
            else:
                general[fold(key)] = fold(value)
    own = {fold(c): i for i, c in enumerate(COLUMNS)}
    own.update(ALIASES)

    def columns_of(name, header):
        mapping = dict(general)
        for provider, table in per_provider.items():
            if re.match(re.escape(provider) + r"[-_.]", name, re.IGNORECASE):
                mapping.update(table)
        out = []
        for cell in header:
            f = mapping.get(fold(cell), fold(cell))
            out.append(own.get(f))
        return out
    return columns_of


def providers(inputs):
    with open(os.path.join(inputs, "organisations.csv"), newline="", encoding="utf-8-sig") as f:
        return {row["org_code"].strip().upper() for row in csv.DictReader(f)
                if (row.get("org_type") or "").strip().upper() == "PROVIDER"}


def stage(inputs, work):
    """Brings every submission to the ACM columns, as BoardPack reads it: CSV in any layout
    (header spellings, local names mapped in boardpack.toml, quoting, CRLF) and XML; provider site
    codes folded to the listed trust. The value forms (year, day-first dates, blank adjustment
    activity) are left to sql/contract_aggregation.sql."""
    staged = os.path.join(work, "staged")
    os.makedirs(staged)
    columns_of = layout_views(inputs)
    listed = providers(inputs)
    rows = 0
    for name in sorted(os.listdir(os.path.join(inputs, "activity"))):
        path = os.path.join(inputs, "activity", name)
        stem, ext = os.path.splitext(name)
        if name.startswith(".") or ext.lower() not in (".csv", ".xml"):
            continue
        with open(os.path.join(staged, stem + ".csv"), "w", newline="", encoding="utf-8") as out:
            w = csv.writer(out)
            w.writerow(COLUMNS)
            if ext.lower() == ".csv":
                with open(path, newline="", encoding="utf-8-sig") as f:
                    reader = csv.reader(f)
                    index = columns_of(name, next(reader))
                    for record in reader:
                        if not any(cell.strip() for cell in record):
                            continue
                        values = [""] * len(COLUMNS)
                        for i, cell in zip(index, record):
                            if i is not None:
                                values[i] = cell
                        provider = values[3].strip().upper()
                        if provider not in listed and len(provider) == 5 and provider[:3] in listed:
                            values[3] = provider[:3]
                        w.writerow(values)
                        rows += 1
            else:
                for _, el in ET.iterparse(path):
                    if el.tag == NS + "Line":
                        w.writerow([(el.findtext(NS + c) or "") for c in COLUMNS])
                        rows += 1
                        el.clear()
    return staged, rows


def run_duckdb(staged, out_csv):
    import duckdb
    con = duckdb.connect()
    cols = ", ".join(f"'{c}': 'VARCHAR'" for c in COLUMNS)
    con.execute(
        f"""CREATE VIEW acm_rows AS SELECT regexp_extract(filename, '([^/]+)\\.csv$', 1) AS submission_id, *
        EXCLUDE (filename) FROM read_csv('{staged}/*.csv', header = true, columns = {{{cols}}}, filename = true)""")
    con.execute(f"COPY ({QUERY}) TO '{out_csv}' (HEADER, DELIMITER ',')")
    return con.execute(f"SELECT count(*) FROM read_csv('{out_csv}', header = true)").fetchone()[0]


def run_spark(staged, out_csv, work):
    from pyspark.sql import SparkSession
    from pyspark.sql.functions import input_file_name, regexp_extract
    from pyspark.sql.types import StringType, StructField, StructType
    spark = (SparkSession.builder.master("local[*]").appName("boardpack-scale-out")
             .config("spark.ui.enabled", "false").config("spark.ui.showConsoleProgress", "false").config("spark.sql.shuffle.partitions", "8").getOrCreate())
    spark.sparkContext.setLogLevel("ERROR")
    schema = StructType([StructField(c, StringType()) for c in COLUMNS])
    df = spark.read.schema(schema).option("header", True).csv(os.path.join(staged, "*.csv"))
    df = df.withColumn("submission_id", regexp_extract(input_file_name(), r"([^/]+)\.csv$", 1))
    df.createOrReplaceTempView("acm_rows")
    result = spark.sql(QUERY)
    folder = os.path.join(work, "spark-out")
    result.coalesce(1).write.option("header", True).option("emptyValue", "").csv(folder)
    part = [f for f in os.listdir(folder) if f.startswith("part-") and f.endswith(".csv")][0]
    shutil.move(os.path.join(folder, part), out_csv)
    count = result.count()
    spark.stop()
    return count


def build(inputs, out, period):
    args = [BOARDPACK, "build", "--inputs", inputs, "--out", out, "-q", "--period", period]
    subprocess.run(args, check=True)


def figures(out):
    result = {}
    for folder in sorted(os.listdir(out)):
        path = os.path.join(out, folder, "figures.json")
        if os.path.exists(path):
            doc = json.load(open(path, encoding="utf-8"))
            doc.pop("data_currency")
            result[folder] = doc
    return result


def with_activity(inputs, aggregate_csv, folder):
    """An input folder like `inputs` whose activity/ holds only the aggregated file."""
    os.makedirs(os.path.join(folder, "activity"))
    for name in os.listdir(inputs):
        if name != "activity" and os.path.isfile(os.path.join(inputs, name)):
            shutil.copy(os.path.join(inputs, name), folder)
    shutil.copy(aggregate_csv, os.path.join(folder, "activity", "aggregated.csv"))
    return folder


def check(label, inputs, work, golden=None, record=False):
    os.makedirs(work)
    t = time.monotonic()
    build(inputs, os.path.join(work, "packs-raw"), PERIOD)
    raw_seconds = time.monotonic() - t
    staged, rows_in = stage(inputs, work)
    reference = figures(os.path.join(work, "packs-raw"))
    ok = True
    print(f"== {label}: {rows_in} rows in; boardpack on the raw files {raw_seconds:.2f} s")
    for engine in ("duckdb", "spark"):
        out_csv = os.path.join(work, f"{engine}.csv")
        t = time.monotonic()
        rows_out = run_duckdb(staged, out_csv) if engine == "duckdb" else run_spark(staged, out_csv, work)
        seconds = time.monotonic() - t
        folder = with_activity(inputs, out_csv, os.path.join(work, f"inputs-{engine}"))
        build(folder, os.path.join(work, f"packs-{engine}"), PERIOD)
        same = figures(os.path.join(work, f"packs-{engine}")) == reference
        ok &= same
        print(f"   {engine:6} {rows_in} rows in, {rows_out} rows out, {seconds:.2f} s; figures.json "
              + ("agree" if same else "DIFFER"))
        if golden and engine == "duckdb" and record:
            shutil.copy(out_csv, golden)
            print(f"   golden {os.path.relpath(golden, ROOT)} recorded")
        if golden and engine == "duckdb":
            matches = open(out_csv, "rb").read().replace(b"\r\n", b"\n") == open(golden, "rb").read()
            ok &= matches
            print(f"   golden {os.path.relpath(golden, ROOT)} " + ("matches" if matches else "DIFFERS"))
    return ok


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--work", required=True)
    parser.add_argument("--commissioners", type=int, default=100)
    parser.add_argument("--providers", type=int, default=200)
    parser.add_argument("--record-golden", action="store_true",
                        help="write DuckDB's aggregate of inputs/ to the test fixture (after changing the sample)")
    parser.add_argument("--shipped-only", action="store_true", help="check the shipped sample only")
    args = parser.parse_args()
    shutil.rmtree(args.work, ignore_errors=True)
    os.makedirs(args.work)
    golden = os.path.join(ROOT, "Tests", "BoardPackTests", "Fixtures", "scale-out", "aggregated.csv")
    ok = check("shipped sample (inputs/)", os.path.join(ROOT, "inputs"), os.path.join(args.work, "shipped"), golden,
               args.record_golden)
    if args.shipped_only:
        print("scale-out check (shipped sample only): " + ("PASSED" if ok else "FAILED"))
        sys.exit(0 if ok else 1)
    national = os.path.join(args.work, "national-inputs")
    subprocess.run([BOARDPACK, "sample", "--out", national, "--commissioners", str(args.commissioners),
                    "--providers", str(args.providers), "--months", "7", "--xml-providers", "0"],
                   check=True, stdout=subprocess.DEVNULL)
    ok &= check(f"national-size sample ({args.commissioners} commissioners, {args.providers} providers)",
                national, os.path.join(args.work, "national"))
    print("scale-out check: " + ("PASSED" if ok else "FAILED"))
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
