/* The OpenAPI component schemas of the maturity routes (h_assessments.c), as the renderers of
 * src/render/render_assess.c write them.  openapi.c lists them in its table of schemas. */
#include "http/schemas_assess.h"

/* clang-format off */
const char http_schema_maturity_group[] =
    "{\"description\": \"The score of a group of dimensions (a pillar or all of them).\","
    " \"type\": \"object\", \"required\": [\"median\", \"mean\", \"stage\", \"stage_name\", \"min\", "
    "\"max\", \"spread\", \"weakest\"], \"properties\": {\"median\": {\"type\": \"number\", \"descri"
    "ption\": \"the median stage of the dimensions (for an even count, the mean of the "
    "two middle ones)\"}, \"mean\": {\"type\": \"number\"}, \"stage\": {\"type\": \"integer\", \"mi"
    "nimum\": 1, \"maximum\": 5, \"description\": \"the median rounded down: the stage reac"
    "hed\"}, \"stage_name\": {\"type\": \"string\", \"description\": \"e.g. II Emerging\"}, \"min"
    "\": {\"type\": \"integer\", \"minimum\": 1, \"maximum\": 5}, \"max\": {\"type\": \"integer\", \""
    "minimum\": 1, \"maximum\": 5}, \"spread\": {\"type\": \"integer\", \"description\": \"max - "
    "min\"}, \"weakest\": {\"type\": \"array\", \"items\": {\"type\": \"string\"}, \"description\": "
    "\"the keys of the dimensions at min\"}}}";

const char http_schema_maturity_scores[] =
    "{\"type\": \"object\", \"required\": [\"overall\", \"pillars\"], \"properties\": {\"overall\":"
    " {\"$ref\": \"#/components/schemas/MaturityGroup\"}, \"pillars\": {\"type\": \"array\", \"i"
    "tems\": {\"allOf\": [{\"$ref\": \"#/components/schemas/MaturityGroup\"}, {\"type\": \"obje"
    "ct\", \"required\": [\"key\", \"name\"], \"properties\": {\"key\": {\"type\": \"string\"}, \"nam"
    "e\": {\"type\": \"string\"}}}]}}}}";

const char http_schema_assessment_summary[] =
    "{\"description\": \"A maturity self-assessment and its scores (docs/maturity.md).\","
    " \"type\": \"object\", \"required\": [\"id\", \"created_at\", \"taken_at\", \"taken_by\", \"ass"
    "essor\", \"blueprint\", \"target_stage\", \"notes\", \"scores\"], \"properties\": {\"id\": {\""
    "type\": \"integer\"}, \"created_at\": {\"type\": \"string\", \"format\": \"date-time\"}, \"tak"
    "en_at\": {\"type\": \"string\", \"format\": \"date\"}, \"taken_by\": {\"type\": [\"integer\", \""
    "null\"], \"description\": \"the user who took it; null for the system\"}, \"assessor\":"
    " {\"type\": [\"string\", \"null\"], \"description\": \"that user's email\"}, \"blueprint\": "
    "{\"type\": \"object\", \"required\": [\"id\", \"version\"], \"properties\": {\"id\": {\"type\": "
    "\"string\"}, \"version\": {\"type\": \"string\"}}}, \"target_stage\": {\"type\": \"integer\", "
    "\"minimum\": 1, \"maximum\": 5}, \"notes\": {\"type\": [\"string\", \"null\"]}, \"scores\": {\""
    "$ref\": \"#/components/schemas/MaturityScores\"}}}";

const char http_schema_assessment[] =
    "{\"allOf\": [{\"$ref\": \"#/components/schemas/AssessmentSummary\"}, {\"type\": \"object\""
    ", \"required\": [\"answers\"], \"properties\": {\"answers\": {\"type\": \"array\", \"items\": "
    "{\"type\": \"object\", \"required\": [\"dimension\", \"name\", \"pillar\", \"stage\", \"stage_n"
    "ame\", \"description\", \"evidence\"], \"properties\": {\"dimension\": {\"type\": \"string\"}"
    ", \"name\": {\"type\": \"string\"}, \"pillar\": {\"type\": \"string\"}, \"stage\": {\"type\": \"i"
    "nteger\", \"minimum\": 1, \"maximum\": 5}, \"stage_name\": {\"type\": \"string\"}, \"descrip"
    "tion\": {\"type\": \"string\", \"description\": \"the blueprint's text of the stage chos"
    "en\"}, \"evidence\": {\"type\": [\"string\", \"null\"]}}}}}}]}";

const char http_schema_blueprint[] =
    "{\"description\": \"The Ecosystems' Value Blueprint: five stages, the dimensions by"
    " pillar, the actions between stages.\", \"type\": \"object\", \"required\": [\"id\", \"ver"
    "sion\", \"source\", \"stages\", \"pillars\", \"transitions\"], \"properties\": {\"id\": {\"typ"
    "e\": \"string\"}, \"version\": {\"type\": \"string\"}, \"source\": {\"type\": \"string\"}, \"sta"
    "ges\": {\"type\": \"array\", \"items\": {\"type\": \"object\", \"required\": [\"number\", \"nume"
    "ral\", \"key\", \"name\", \"tagline\", \"equation\"], \"properties\": {\"number\": {\"type\": \""
    "integer\", \"minimum\": 1, \"maximum\": 5}, \"numeral\": {\"type\": \"string\"}, \"key\": {\"t"
    "ype\": \"string\"}, \"name\": {\"type\": \"string\"}, \"tagline\": {\"type\": \"string\"}, \"equ"
    "ation\": {\"type\": \"string\"}}}}, \"pillars\": {\"type\": \"array\", \"items\": {\"type\": \"o"
    "bject\", \"required\": [\"key\", \"name\", \"dimensions\"], \"properties\": {\"key\": {\"type\""
    ": \"string\"}, \"name\": {\"type\": \"string\"}, \"dimensions\": {\"type\": \"array\", \"items\""
    ": {\"type\": \"object\", \"required\": [\"key\", \"name\", \"stages\"], \"properties\": {\"key\""
    ": {\"type\": \"string\"}, \"name\": {\"type\": \"string\"}, \"stages\": {\"type\": \"array\", \"i"
    "tems\": {\"type\": \"string\"}, \"minItems\": 5, \"maxItems\": 5, \"description\": \"what th"
    "e dimension looks like at stages I..V\"}}}}}}}, \"transitions\": {\"type\": \"array\", "
    "\"items\": {\"type\": \"object\", \"required\": [\"from\", \"to\", \"title\", \"actions\"], \"pro"
    "perties\": {\"from\": {\"type\": \"integer\", \"minimum\": 1, \"maximum\": 5}, \"to\": {\"type"
    "\": \"integer\", \"minimum\": 1, \"maximum\": 5}, \"title\": {\"type\": \"string\"}, \"actions"
    "\": {\"type\": \"array\", \"items\": {\"type\": \"object\", \"required\": [\"text\", \"steps\"], "
    "\"properties\": {\"text\": {\"type\": \"string\"}, \"steps\": {\"type\": \"array\", \"items\": {"
    "\"type\": \"string\"}}}}}}}}}}";

const char http_schema_roadmap[] =
    "{\"description\": \"The plan to the target stage: the dimensions below it, largest "
    "gap first, and one quarter per transition.\", \"type\": \"object\", \"required\": [\"ass"
    "essment_id\", \"target\", \"start\", \"owner\", \"items\", \"phases\", \"actions\"], \"propert"
    "ies\": {\"assessment_id\": {\"type\": \"integer\"}, \"target\": {\"type\": \"integer\", \"mini"
    "mum\": 1, \"maximum\": 5}, \"start\": {\"type\": \"string\", \"format\": \"date\"}, \"owner\": "
    "{\"type\": [\"string\", \"null\"]}, \"items\": {\"type\": \"array\", \"items\": {\"type\": \"obje"
    "ct\", \"required\": [\"dimension\", \"name\", \"pillar\", \"current\", \"next\", \"gap\"], \"pro"
    "perties\": {\"dimension\": {\"type\": \"string\"}, \"name\": {\"type\": \"string\"}, \"pillar\""
    ": {\"type\": \"string\"}, \"current\": {\"type\": \"integer\", \"minimum\": 1, \"maximum\": 5}"
    ", \"next\": {\"type\": \"integer\", \"minimum\": 1, \"maximum\": 5}, \"gap\": {\"type\": \"inte"
    "ger\"}}}}, \"phases\": {\"type\": \"array\", \"items\": {\"type\": \"object\", \"required\": [\""
    "from\", \"to\", \"title\", \"gap\", \"starts\", \"due\", \"dimensions\", \"actions\"], \"propert"
    "ies\": {\"from\": {\"type\": \"integer\", \"minimum\": 1, \"maximum\": 5}, \"to\": {\"type\": \""
    "integer\", \"minimum\": 1, \"maximum\": 5}, \"title\": {\"type\": \"string\"}, \"gap\": {\"typ"
    "e\": \"integer\"}, \"starts\": {\"type\": \"string\", \"format\": \"date\"}, \"due\": {\"type\": "
    "\"string\", \"format\": \"date\"}, \"dimensions\": {\"type\": \"array\", \"items\": {\"type\": \""
    "string\"}}, \"actions\": {\"type\": \"array\", \"items\": {\"type\": \"object\", \"required\": "
    "[\"text\", \"steps\", \"owner\", \"due\"], \"properties\": {\"text\": {\"type\": \"string\"}, \"s"
    "teps\": {\"type\": \"array\", \"items\": {\"type\": \"string\"}}, \"owner\": {\"type\": [\"strin"
    "g\", \"null\"]}, \"due\": {\"type\": \"string\", \"format\": \"date\"}}}}}}}, \"actions\": {\"ty"
    "pe\": \"integer\"}}}";

const char http_schema_maturity_indicators[] =
    "{\"type\": \"object\", \"required\": [\"assessment_id\", \"counts\", \"indicators\"], \"prope"
    "rties\": {\"assessment_id\": {\"type\": [\"integer\", \"null\"], \"description\": \"the late"
    "st assessment, whose stages are shown; null when none\"}, \"counts\": {\"type\": \"obj"
    "ect\", \"additionalProperties\": {\"type\": \"integer\"}}, \"indicators\": {\"type\": \"arra"
    "y\", \"items\": {\"type\": \"object\", \"required\": [\"key\", \"name\", \"measure\", \"numerato"
    "r\", \"denominator\", \"value\", \"informs\", \"why\"], \"properties\": {\"key\": {\"type\": \"s"
    "tring\"}, \"name\": {\"type\": \"string\"}, \"measure\": {\"type\": \"string\"}, \"numerator\":"
    " {\"type\": \"integer\"}, \"denominator\": {\"type\": \"integer\"}, \"value\": {\"type\": [\"nu"
    "mber\", \"null\"], \"description\": \"numerator / denominator; null when the denominat"
    "or is 0\"}, \"informs\": {\"type\": \"array\", \"items\": {\"type\": \"object\", \"required\": "
    "[\"dimension\", \"name\", \"stage\"], \"properties\": {\"dimension\": {\"type\": \"string\"}, "
    "\"name\": {\"type\": [\"string\", \"null\"]}, \"stage\": {\"type\": [\"integer\", \"null\"]}}}},"
    " \"why\": {\"type\": \"string\"}}}}}}";

/* clang-format on */
