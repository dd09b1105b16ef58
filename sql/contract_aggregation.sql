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
--   Numbers must already be plain decimals (the loader's job); BoardPack's own
--   reader also accepts "£1,234.56" and "(12.00)" and rejects bad values.
--
-- Rules (docs/inputs.md):
--   1. Codes are trimmed and upper-cased; the creation time is normalised to YYYY-MM-DDTHH:MM:SS.
--   2. A submission's creation time is the latest in it; its latest period the latest
--      (financial_year, financial_month) it holds.
--   3. For each (provider, commissioner, financial year, month) only the rows of one
--      submission count: the latest by creation time (none is older than any), then by
--      latest period held, then by submission id in byte order. Submissions are never added.
--   4. The surviving rows are summed by commissioner, provider, POD, TFC, year and month.
-- Portable subset: CTEs, ROW_NUMBER() OVER, CAST, COALESCE, NULLIF, TRIM, UPPER, SUBSTR,
-- LENGTH, REPLACE and || (T-SQL differences are listed in docs/scale-out.md).
WITH rows_in AS (
    SELECT
        submission_id,
        CAST(TRIM(CAST(financial_year AS VARCHAR(16))) AS INT) AS financial_year,
        CAST(TRIM(CAST(financial_month AS VARCHAR(16))) AS INT) AS financial_month,
        UPPER(TRIM(organisation_identifier_code_of_commissioner)) AS commissioner,
        UPPER(TRIM(organisation_identifier_code_of_provider)) AS provider,
        UPPER(TRIM(point_of_delivery_code)) AS pod,
        UPPER(TRIM(activity_treatment_function_code)) AS tfc,
        CAST(contract_monitoring_planned_activity AS DECIMAL(18, 2)) AS planned_activity,
        CAST(contract_monitoring_actual_activity AS DECIMAL(18, 2)) AS actual_activity,
        CAST(contract_monitoring_planned_price AS DECIMAL(18, 2)) AS planned_price,
        CAST(contract_monitoring_actual_price AS DECIMAL(18, 2)) AS actual_price,
        CASE
            WHEN NULLIF(TRIM(date_and_time_data_set_created), '') IS NULL THEN NULL
            WHEN LENGTH(TRIM(date_and_time_data_set_created)) = 10
                THEN TRIM(date_and_time_data_set_created) || 'T00:00:00'
            ELSE REPLACE(SUBSTR(TRIM(date_and_time_data_set_created), 1, 19), ' ', 'T')
        END AS created
    FROM acm_rows
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
