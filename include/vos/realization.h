/* Realization: how much of the committed value a case has delivered, from its measurements.
 *
 * Pure computation (no I/O): the app layer loads the commitment, the model and the
 * measurements and hands them over as plain arrays.  Times are days since 1970-01-01 00:00
 * UTC as doubles (a stamp's time of day is the fraction).  docs/realization.md gives every
 * rule with a worked example.
 *
 * Per committed KPI:
 *   planned(t)   the KPI's value on its trajectory at day t: the baseline up to the baseline
 *                day, the target from the target day on; between them linear, s-curve
 *                (smoothstep x^2 (3 - 2x), as the engine's ramps) or step (the value of the
 *                last milestone reached; without milestones the baseline until the target day).
 *   progress     (actual - baseline) / (target - baseline): 0 at the baseline, 1 at the target,
 *                whichever direction the KPI improves in (lower-is-better KPIs have
 *                target < baseline, so the same formula holds); not clamped.
 *   variance     actual - planned, in the KPI's unit; `behind` is the shortfall against the
 *                plan in the direction of improvement as a fraction of the planned
 *                improvement |planned - baseline| (of |target - baseline| before any improvement
 *                is planned): behind > tolerance is a drift.
 *   forecast     least-squares line through the last VOS_FORECAST_POINTS_MAX points (at least
 *                3), its value at the target day with a VOS_FORECAST_LEVEL prediction interval
 *                (Student t, n - 2 degrees of freedom); it misses when the predicted value
 *                falls short of the target in the direction of improvement.
 *   stale        no measurement in the last `stale_after_days` days before as_of.
 * Per driver with a `realized` formula: for each period of the model from the commitment's
 * start up to as_of, the formula evaluated with the case's input values and, for every KPI,
 * baseline(k), target(k) and actual(k) = the mean of the KPI's measurements in that period
 * (carried forward from the latest earlier period when a period has none; no value before
 * the first measurement: the period realizes nothing), times the driver's ramp; summed to date.
 * Planned to date = the committed expected cash flow of the driver over the same periods.
 * Periods are 365.25 / 12 days (monthly models) or 365.25 days (yearly ones) long: period k
 * covers [start_day + (k - 1) L, start_day + k L); only whole periods up to as_of count.
 * A driver whose realized formula reads a KPI the commitment has no plan for realizes nothing
 * (missing_kpi names it); a driver without a realized formula realizes nothing either. */
#ifndef VOS_REALIZATION_H
#define VOS_REALIZATION_H

#include "vos/model.h"

#include <stdbool.h>
#include <stddef.h>

#define VOS_FORECAST_POINTS_MAX 90 /* points the trend is fitted on, the latest ones */
#define VOS_FORECAST_LEVEL 0.8     /* two-sided level of the forecast interval */
#define VOS_MILESTONES_MAX 64      /* milestones of one step trajectory */

typedef enum vos_trajectory {
    VOS_TRAJECTORY_LINEAR = 0,
    VOS_TRAJECTORY_S_CURVE,
    VOS_TRAJECTORY_STEP
} vos_trajectory;

typedef struct vos_milestone {
    double day;
    double value;
} vos_milestone;

/* One committed KPI and its measurements. */
typedef struct vos_kpi_plan {
    size_t kpi;          /* index into model->kpis */
    double baseline, baseline_day;
    double target, target_day; /* target_day > baseline_day; target != baseline */
    vos_trajectory trajectory;
    const vos_milestone *milestones; /* step: ascending days, within the two dates; may be 0 */
    size_t n_milestones;
    double tolerance;    /* fraction in (0, 1] */
    const double *day;   /* the measurements, ascending by day */
    const double *value;
    size_t n;
} vos_kpi_plan;

typedef struct vos_realization_input {
    const vos_model *model;
    const double *inputs;      /* model->n_inputs values: the case's expected-scenario inputs */
    const double *plan;        /* committed expected cash flow per driver: n_drivers rows of
                                  model->periods + 1 values (index 0 up front), as in
                                  vos_result.benefit */
    const double *plan_costs;  /* committed costs per period: model->periods + 1 values */
    double start_day;          /* the day period 1 starts (the commitment's baseline) */
    const vos_kpi_plan *kpis;
    size_t n_kpis;
    double as_of;              /* the day the figures are computed for */
    double stale_after_days;
} vos_realization_input;

typedef struct vos_kpi_status {
    size_t kpi;                 /* index into model->kpis */
    double planned;             /* planned(as_of) */
    double actual;              /* the latest measurement at or before as_of; NAN if none */
    double actual_day;          /* its day; NAN if none */
    double progress;            /* of actual; NAN if none */
    double planned_progress;    /* of planned(as_of) */
    double variance;            /* actual - planned; NAN if none */
    double behind;              /* see the top of this file; NAN if none */
    bool drifting;              /* behind > tolerance */
    bool stale;
    bool has_forecast;          /* at least 3 points on distinct days */
    size_t forecast_points;     /* the points the forecast is fitted on (0 without one) */
    double forecast, forecast_low, forecast_high; /* at the target day */
    double forecast_progress;   /* progress of `forecast` */
    bool forecast_misses;
    size_t milestones_missed;   /* step milestones whose day passed with the actual short of them */
} vos_kpi_status;

typedef struct vos_driver_realization {
    size_t driver;              /* index into model->drivers */
    bool has_realized;          /* the driver has a `realized` formula */
    double planned_to_date;     /* committed benefit over the elapsed periods */
    double realized_to_date;    /* 0 without a realized formula */
    double variance;            /* realized - planned */
    double roi_points;          /* this driver's share of the ROI gap, in ROI points (0.09 = 9):
                                   variance / costs to date; NAN without costs */
    size_t missing_kpi;         /* a KPI (index into model->kpis) the realized formula reads
                                   without a plan for it, or SIZE_MAX */
    int periods_measured;       /* elapsed periods with a value of every KPI read by actual() */
    double *per_period;         /* model->periods + 1 realized values (index 0 and the periods
                                   not elapsed: 0); owned by the result */
} vos_driver_realization;

typedef struct vos_realization {
    int periods_elapsed;        /* whole periods from start_day to as_of, at most model->periods */
    double period_days;         /* L: 365.25 / 12 or 365.25 */
    double committed_total;     /* committed benefits over the horizon */
    double planned_to_date, realized_to_date, costs_to_date;
    double percent_of_plan;     /* realized / planned to date; NAN when nothing is planned */
    double percent_of_total;    /* realized to date / committed total; NAN when it is 0 */
    double roi_planned, roi_realized; /* to date: (benefits - costs) / costs; NAN without costs */
    double roi_gap;             /* roi_realized - roi_planned */
    vos_kpi_status *kpis;       /* n_kpis, in input order */
    size_t n_kpis;
    vos_driver_realization *drivers; /* model->n_drivers, model order */
    size_t n_drivers;
} vos_realization;

/* The planned value of a KPI at `day`. */
double vos_kpi_planned(const vos_kpi_plan *p, double day);
/* Progress of a value: (value - baseline) / (target - baseline). */
double vos_kpi_progress(const vos_kpi_plan *p, double value);

/* Computes everything above.  VOS_EINVALID for inconsistent input (the message names the KPI
 * and the field: dates out of order, equal baseline and target, days not ascending,
 * non-finite values); VOS_ENUM when a driver's formula or realized formula gives a non-finite
 * value (the message names the driver and the period); VOS_ENOMEM.  OUT: *out, freed with
 * vos_realization_free. */
int vos_realization_compute(vos_realization **out, const vos_realization_input *in);
void vos_realization_free(vos_realization *r);

/* Least squares y = a + b x over n points (n >= 3, not all x equal) and the two-sided
 * `level` prediction interval of y at x0.  Returns 0, VOS_EINVALID otherwise. */
int vos_trend_forecast(const double *x, const double *y, size_t n, double x0, double level,
                       double *fit, double *low, double *high);
/* The quantile of Student's t distribution with `dof` > 0 degrees of freedom, p in (0, 1). */
double vos_student_t_quantile(double p, double dof);

#endif
