/* Benchmarks (reference values of model inputs): /api/v1/benchmarks. */
#include "http/h_common.h"

H_ROW_FNS(benchmark, vos_benchmark_row, vos_render_benchmark, id)

static int list_benchmarks(vos_req *rq)
{
    vos_store_query q = {0};
    size_t page;
    int rc = vos_req_page(rq, &q, &page);
    if (rc < 0) return rc;
    h_filter_text(rq, &q, "input_key", "input_key");
    h_filter_text(rq, &q, "industry", "industry");
    h_filter_text(rq, &q, "segment", "segment");
    vos_benchmark_row *rows = NULL;
    size_t n = 0;
    rc = vos_app_benchmark_list(vos_req_app(rq), vos_req_actor(rq), &rows, &n, &q);
    if (rc < 0) return vos_reply_error(rq, rc);
    h_page(rq, rows, n, sizeof *rows, page, benchmark_item, benchmark_id);
    vos_benchmark_rows_free(rows, n);
    return 0;
}

static const vos_field benchmark_fields[] = {
    {"input_key", VOS_F_STRING, true, VOS_ID_MAX, NULL, "the id of the model input it informs"},
    {"industry", VOS_F_STRING, false, 0, NULL, "the industry it holds for; none: every one"},
    {"segment", VOS_F_STRING, false, 0, NULL, "the segment it holds for; none: every one"},
    {"value", VOS_F_NUMBER, true, 0, NULL, "the reference value, in `unit`"},
    {"low", VOS_F_NUMBER, false, 0, NULL, "low end of the range (low <= value)"},
    {"high", VOS_F_NUMBER, false, 0, NULL, "high end of the range (value <= high)"},
    {"unit", VOS_F_STRING, false, 0, NULL, "unit as in a model, e.g. \"USD/h\""},
    {"source", VOS_F_STRING, true, VOS_TEXT_MAX, NULL, "where the number comes from"},
    {"as_of", VOS_F_DATE, true, 0, NULL, "the date of the source"},
};

static int create_benchmark(vos_req *rq)
{
    json_t *b;
    int rc = vos_req_json(rq, &b);
    if (rc < 0) return rc;
    vos_benchmark_row row = {0};
    row.input_key = h_dup(rq, b, "input_key");
    row.industry = h_dup(rq, b, "industry");
    row.segment = h_dup(rq, b, "segment");
    row.value = h_num(b, "value");
    row.low = h_num(b, "low");
    row.high = h_num(b, "high");
    row.unit = h_dup(rq, b, "unit");
    row.source = h_dup(rq, b, "source");
    row.as_of = h_dup(rq, b, "as_of");
    rc = vos_app_benchmark_add(vos_req_app(rq), vos_req_actor(rq), &row);
    if (rc < 0) return h_reply_error(rq, rc, b, benchmark_fields, H_N(benchmark_fields), false);
    vos_reply_etag(rq, row.revision);
    vos_render_benchmark(vos_reply_json(rq, 201), &row);
    return 0;
}

static const char *const list_query[] = {"input_key", "industry", "segment", NULL};

static const vos_route routes[] = {
    {"GET", H_API "/benchmarks", list_benchmarks, VOS_ROUTE_LIST, "listBenchmarks", "benchmarks",
     "List benchmarks, by input, industry and segment", NULL, 0, NULL, list_query, 200,
     "Benchmark"},
    {"POST", H_API "/benchmarks", create_benchmark, 0, "createBenchmark", "benchmarks",
     "Add a benchmark", benchmark_fields, H_N(benchmark_fields), NULL, NULL, 201, "Benchmark"},
};

const vos_route_set vos_routes_benchmarks = {routes, H_N(routes)};
