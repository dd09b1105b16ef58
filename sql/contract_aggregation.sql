-- BoardPack contract aggregation, for Spark SQL and DuckDB (docs/scale-out.md).
--
-- Applies exactly BoardPack's rules to contract-monitoring rows and returns rows
-- in BoardPack's activity CSV columns, so the result is itself a valid activity
-- submission: save it as one CSV file in activity/ and run `boardpack build`.
--
-- Input: a table or view named acm_rows with one row per input row:
--   submission_id     the submission (BoardPack: the file name without .csv/.xml)
--   the ACM columns   financial_year, financial_month,
--                     organisation_identifier_code_of_commissioner,
--                     organisation_identifier_code_of_provider, point_of_delivery_code,
--                     activity_treatment_function_code, contract_monitoring_planned_activity,
--                     contract_monitoring_actual_activity, contract_monitoring_planned_price,
--                     contract_monitoring_actual_price, date_and_time_data_set_created (may be null)
--   Every layout is first brought to these columns, one view (or staging step) per layout:
--   headers in any spelling or local names (boardpack.toml [columns.*]), quoting and CRLF,
--   provider site codes folded to the trust (RRP00 -> RRP, which needs the provider list).
--   Numbers must already be plain decimals (the loader's job); BoardPack's own
--   reader also accepts "£1,234.56" and "(12.00)" and rejects bad values.
--
-- Rules (docs/inputs.md):
--   1. Codes are trimmed and upper-cased; the financial year is read as 202627, 2026/27,
--      2026-27, 26/27 or 2026; the creation time (ISO or day-first dd/mm/yyyy [hh:mm[:ss]]) is
--      normalised to YYYY-MM-DDTHH:MM:SS; blank activity on CQUIN/BLOCK/ADJ lines is 0.
--      (Excel serial creation dates are not converted here; BoardPack reads them.)
--   2. A submission's creation time is the latest in it; its latest period the latest
--      (financial_year, financial_month) it holds.
--   3. For each (provider, commissioner, financial year, month) only the rows of one
--      submission count: the latest by creation time (none is older than any), then by
--      latest period held, then by submission id in byte order. Submissions are never added.
--   4. The surviving rows are summed by commissioner, provider, POD, TFC, year and month: real
--      extracts carry many rows per cell (tariff code, local POD, service code…), all added.
-- Portable subset: CTEs, ROW_NUMBER() OVER, CAST, COALESCE, NULLIF, TRIM, UPPER, SUBSTR,
-- LENGTH, REPLACE, % and || (T-SQL differences are listed in docs/scale-out.md).
WITH raw AS (
    SELECT
        submission_id,
        TRIM(CAST(financial_year AS VARCHAR(16))) AS fy,
        TRIM(CAST(financial_month AS VARCHAR(16))) AS fm,
        UPPER(TRIM(organisation_identifier_code_of_commissioner)) AS commissioner,
        UPPER(TRIM(organisation_identifier_code_of_provider)) AS provider,
        UPPER(TRIM(point_of_delivery_code)) AS pod,
        UPPER(TRIM(activity_treatment_function_code)) AS tfc,
        TRIM(contract_monitoring_planned_activity) AS planned_activity,
        TRIM(contract_monitoring_actual_activity) AS actual_activity,
        TRIM(contract_monitoring_planned_price) AS planned_price,
        TRIM(contract_monitoring_actual_price) AS actual_price,
        TRIM(date_and_time_data_set_created) AS created
    FROM acm_rows
),
rows_in AS (
    SELECT
        submission_id,
        -- 202627, 2026/27 or 2026-27, 26/27, or the start year 2026
        CASE LENGTH(fy)
            WHEN 6 THEN CAST(fy AS INT)
            WHEN 7 THEN CAST(SUBSTR(fy, 1, 4) AS INT) * 100 + CAST(SUBSTR(fy, 6, 2) AS INT)
            WHEN 5 THEN (2000 + CAST(SUBSTR(fy, 1, 2) AS INT)) * 100 + CAST(SUBSTR(fy, 4, 2) AS INT)
            WHEN 4 THEN CAST(fy AS INT) * 100 + (CAST(fy AS INT) + 1) % 100
        END AS financial_year,
        CAST(fm AS INT) AS financial_month,
        commissioner, provider, pod, tfc,
        -- Financial-adjustment lines may leave activity blank: they count in price only.
        CAST(CASE WHEN pod IN ('CQUIN', 'BLOCK', 'ADJ') THEN COALESCE(NULLIF(planned_activity, ''), '0')
            ELSE planned_activity END AS DECIMAL(18, 2)) AS planned_activity,
        CAST(CASE WHEN pod IN ('CQUIN', 'BLOCK', 'ADJ') THEN COALESCE(NULLIF(actual_activity, ''), '0')
            ELSE actual_activity END AS DECIMAL(18, 2)) AS actual_activity,
        CAST(planned_price AS DECIMAL(18, 2)) AS planned_price,
        CAST(actual_price AS DECIMAL(18, 2)) AS actual_price,
        CASE
            WHEN NULLIF(created, '') IS NULL THEN NULL
            -- UK day-first: dd/mm/yyyy, with an optional hh:mm or hh:mm:ss
            WHEN SUBSTR(created, 3, 1) = '/' THEN
                SUBSTR(created, 7, 4) || '-' || SUBSTR(created, 4, 2) || '-' || SUBSTR(created, 1, 2) || 'T'
                || CASE LENGTH(created) WHEN 10 THEN '00:00:00' WHEN 16 THEN SUBSTR(created, 12, 5) || ':00'
                    ELSE SUBSTR(created, 12, 8) END
            WHEN LENGTH(created) = 10 THEN created || 'T00:00:00'
            ELSE REPLACE(SUBSTR(created, 1, 19), ' ', 'T')
        END AS created
    FROM raw
),
submissions AS (
    SELECT
        submission_id,
        MAX(created) AS created,
        MAX(financial_year * 100 + financial_month) AS latest_period
    FROM rows_in
    GROUP BY submission_id
),
candidates AS (
    SELECT DISTINCT provider, commissioner, financial_year, financial_month, submission_id
    FROM rows_in
),
ranked AS (
    SELECT
        c.provider, c.commissioner, c.financial_year, c.financial_month, c.submission_id, s.created,
        ROW_NUMBER() OVER (
            PARTITION BY c.provider, c.commissioner, c.financial_year, c.financial_month
            ORDER BY COALESCE(s.created, '') DESC, s.latest_period DESC, c.submission_id DESC
        ) AS rank_in_month
    FROM candidates c
    JOIN submissions s ON s.submission_id = c.submission_id
)
SELECT
    r.financial_year,
    r.financial_month,
    r.commissioner AS organisation_identifier_code_of_commissioner,
    r.provider AS organisation_identifier_code_of_provider,
    r.pod AS point_of_delivery_code,
    r.tfc AS activity_treatment_function_code,
    SUM(r.planned_activity) AS contract_monitoring_planned_activity,
    SUM(r.actual_activity) AS contract_monitoring_actual_activity,
    SUM(r.planned_price) AS contract_monitoring_planned_price,
    SUM(r.actual_price) AS contract_monitoring_actual_price,
    MAX(k.created) AS date_and_time_data_set_created
FROM rows_in r
JOIN ranked k
    ON k.rank_in_month = 1
    AND k.provider = r.provider
    AND k.commissioner = r.commissioner
    AND k.financial_year = r.financial_year
    AND k.financial_month = r.financial_month
    AND k.submission_id = r.submission_id
GROUP BY r.financial_year, r.financial_month, r.commissioner, r.provider, r.pod, r.tfc
ORDER BY
    organisation_identifier_code_of_commissioner, organisation_identifier_code_of_provider,
    financial_year, financial_month, point_of_delivery_code, activity_treatment_function_code
