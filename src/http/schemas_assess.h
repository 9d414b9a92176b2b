/* The OpenAPI component schemas of the maturity routes (schemas_assess.c): JSON texts. */
#ifndef VOS_HTTP_SCHEMAS_ASSESS_H
#define VOS_HTTP_SCHEMAS_ASSESS_H

extern const char http_schema_maturity_group[]; /* MaturityGroup */
extern const char http_schema_maturity_scores[]; /* MaturityScores */
extern const char http_schema_assessment_summary[]; /* AssessmentSummary */
extern const char http_schema_assessment[]; /* Assessment */
extern const char http_schema_blueprint[]; /* Blueprint */
extern const char http_schema_roadmap[]; /* Roadmap */
extern const char http_schema_maturity_indicators[]; /* MaturityIndicators */

#endif
