"""The data dictionary of a chapter's download: what every column of every table means, written as
``dictionary.csv`` beside the CSV files and as the workbook's ``columns`` sheet, so the download
explains itself to someone who never saw the chapter. ``tests/test_downloads.py`` checks that every
column written has an entry here."""

from __future__ import annotations

#: Table file -> workbook sheet, for the tables a download holds.
SHEETS = {"estimates.csv": "estimates", "observed.csv": "local observed", "context.csv": "local context",
          "neighbours.csv": "similar areas", "recommendations.csv": "recommendations",
          "services.csv": "local services",
          "evidence.csv": "national evidence"}

_AREA = {"area_code": "ONS code of the local authority (county or unitary authority)",
         "area_name": "Name of the local authority as the chapter shows it"}

_ESTIMATE_REFERENCE = {
    "priority_area": "Priority area of the NPS Health and Social Care Strategy 2019-22: mental_health, "
                     "substance_misuse, suicide_prevention, social_care, physical_health, "
                     "learning_disability_autism, opd_pathway",
    "estimate_id": "Identifier of the national figure in the evidence table (sheet 'national evidence')",
    "measure": "Exactly what the national study measured",
    "setting": "Who the national study measured, in words",
    "setting_type": "Kind of population measured: probation_caseload, probation_co_starters, probation_other, "
                    "criminal_justice_mixed, prison, general_population",
    "sex": "Sex the figure describes: all, male or female",
    "age_band": "Age band the figure describes ('all' when not split)",
    "grade": "Quality grade of the national evidence, A (strong) to D (weak)",
    "grade_reason": "Why the evidence has that grade",
    "source_keys": "Keys of the sources (sheet 'sources'); the first is the main source",
    "year": "Period of the national study, as published",
    "status": "ok; verify (not yet checked against the source); gap (no figure); derived (worked out by jsna-kit)",
    "finding_phrase": "The need in words, as the chapter completes '... of the people on probation ...'",
    "quality_note": "Caveats about the national figure",
}

DEFINITIONS: dict[str, dict[str, str]] = {
    "estimates.csv": {
        **_AREA,
        **{k: _ESTIMATE_REFERENCE[k] for k in ("priority_area", "estimate_id")},
        "role": "headline (the figure the chapter leads with), alternative (another probation figure, giving "
                "the range), proxy (a figure from another setting, shown as an illustration only)",
        **{k: _ESTIMATE_REFERENCE[k] for k in ("measure", "setting", "setting_type", "sex", "age_band")},
        "measure_scope": "overall (the need as a whole) or specific (a narrower measure)",
        "time_frame": "The period the national figure describes: current, past_month, past_year, lifetime, or "
                      "not_applicable; a range across studies only compares figures of the same scope and time "
                      "frame",
        "caseload": "People on probation in the area: the local figure given, or the modelled figure; like every "
                    "count published, rounded to the nearest 5",
        "caseload_lower": "Lower end of the caseload's range (the same as caseload when it is a local count)",
        "caseload_upper": "Upper end of the caseload's range (the same as caseload when it is a local count)",
        "caseload_kind": "local (a count given by the analyst) or modelled (the national caseload, or the probation "
                         "region's, shared out by a model: see caseload_model)",
        "caseload_model": "For a modelled caseload, the model the caseload column uses: population (adults alone), "
                          "deprivation (adults weighted by deprivation on the nation's own index), urban (adults "
                          "weighted by adults per km2), deprivation_urban (both), or regional (a probation region's "
                          "published caseload shared among its areas); blank for a local caseload",
        "caseload_alt_population": "The modelled caseload if people on probation were spread like adults (18+) alone; "
                                   "rounded to 5. The caseload range contains every caseload_alt_ figure",
        "caseload_alt_deprivation": "The modelled caseload if caseloads followed adults weighted by deprivation (IMD "
                                    "2025 average score in England, WIMD 2025 mean rank in Wales, each against its "
                                    "own nation); rounded to 5",
        "caseload_alt_urban": "The modelled caseload if caseloads followed adults weighted by urban concentration "
                              "(adults per km2 against England and Wales); rounded to 5",
        "caseload_alt_deprivation_urban": "The modelled caseload if caseloads followed adults weighted by both "
                                          "deprivation and urban concentration; rounded to 5",
        "caseload_alt_regional": "Only when a regional caseload file was given: the probation region's published "
                                 "caseload shared among its areas by the headline model's weights; rounded to 5",
        "prevalence_pct": "National prevalence applied, per cent",
        "prevalence_lower_pct": "Lower end of the prevalence's 95% interval, per cent (blank: no interval)",
        "prevalence_upper_pct": "Upper end of the prevalence's 95% interval, per cent (blank: no interval)",
        "prevalence_se_pct": "Standard error of the prevalence, per cent: from the published interval, from n, or "
                             "from n with a design effect (2 when a weighted source publishes none); blank when the "
                             "source gives neither n nor an interval. Used to test local records against it",
        "interval_method": "How the prevalence's interval was found: published, wilson_counts, wilson_weighted, "
                           "none (see interval_note)",
        "expected": "Estimated number of people on probation in the area with the need: caseload x prevalence, "
                    "rounded to 5",
        "expected_lower": "Lower end of the estimate's range (see range_kind), rounded down to 5",
        "expected_upper": "Upper end of the estimate's range (see range_kind), rounded up to 5",
        "range_kind": "What the range covers: confidence_interval (the national study's 95% sampling interval, "
                      "local caseload); uncertainty_range (that combined with the modelled caseload's band: not a "
                      "confidence interval); caseload_range (the modelled caseload's band alone, the national "
                      "figure having no interval); none",
        "method": "crude (one national rate applied to the whole caseload) or stratified (rates by sex or age "
                  "applied to the caseload's breakdown)",
        "method_note": "Why the estimate is crude or how it was stratified",
        "interval_note": "What the interval includes, or why there is none",
        **{k: _ESTIMATE_REFERENCE[k] for k in ("grade", "grade_reason", "source_keys", "year", "status",
                                               "finding_phrase", "quality_note")},
        "adjusted_pct": "Locally adjusted prevalence (%): the national figure moved on the odds scale by how the "
                        "area differs from its nation on a matching whole-population measure (adjustment_indicator), "
                        "with the link's strength half-way between none and full proportionality; blank where no "
                        "local measure bears on the figure",
        "adjusted_lower_pct": "Lower end of the adjusted prevalence's 95% uncertainty range (the national figure's "
                              "interval and the whole range of the link's strength; not a confidence interval)",
        "adjusted_upper_pct": "Upper end of the adjusted prevalence's 95% uncertainty range",
        "adjusted_expected": "Locally adjusted estimate of the number of people on probation in the area with the "
                             "need (adjusted_pct x caseload), rounded to 5",
        "adjusted_expected_lower": "Lower end of its 95% uncertainty range (with the modelled caseload's band), "
                                   "rounded down to 5",
        "adjusted_expected_upper": "Upper end of its 95% uncertainty range, rounded up to 5",
        "adjustment_link": "Identifier of the link used (local_adjustment_links.csv in the reference data)",
        "adjustment_indicator": "The whole-population measure the adjustment follows",
        "adjustment_local_value": "The area's value of that measure",
        "adjustment_national_value": "Its nation's value (England's, or Wales's for a Welsh area)",
        "adjustment_comparator": "The nation the area is compared with: England or Wales",
        "adjustment_ratio": "The area's value divided by its nation's (for a share of small areas, each plus 10 "
                            "points first): R in odds x R^beta",
        "adjustment_beta_low": "Lowest strength of the link allowed (0: no link)",
        "adjustment_beta_high": "Highest strength of the link allowed (1: the need rises in proportion to the "
                                "local measure)",
        "adjustment_reason": "Why the local measure is a guide to this need, in words",
    },
    "observed.csv": {
        "priority_area": _ESTIMATE_REFERENCE["priority_area"],
        "need": "The need as the local records name it",
        "period": "Period the local figure covers",
        "source": "Where the local figure comes from",
        "suppressed": "True when the count, the number without the need, or the denominator is under 5, so the "
                      "row's count, proportion, interval and test are not shown",
        "observed_count": "People recorded locally with the need, rounded to 5 (blank when suppressed)",
        "caseload": "People the local count is out of (the denominator, or the caseload), rounded to 5 (blank "
                    "when under 5)",
        "expected_p": "Proportion the national headline rate predicts (0 to 1)",
        "expected_se": "Standard error of that national proportion (0 to 1; blank when the national source gives "
                       "neither n nor an interval, and no test is made)",
        "observed_p": "Proportion recorded locally (0 to 1; blank when suppressed)",
        "expected_count": "Number the national headline rate predicts among the same people, rounded to 5",
        "lower_95_ci": "Lower end of the local proportion's 95% Wilson interval (0 to 1)",
        "upper_95_ci": "Upper end of the local proportion's 95% Wilson interval (0 to 1)",
        "lower_99_8_ci": "Lower end of the local proportion's 99.8% Wilson interval (0 to 1)",
        "upper_99_8_ci": "Upper end of the local proportion's 99.8% Wilson interval (0 to 1)",
        "difference_pp": "Local proportion minus the national one, in percentage points",
        "z": "Two-sample z statistic: the difference over the square root of the sum of both figures' variances "
             "(the local binomial variance and expected_se squared)",
        "p_value": "Two-sided p-value of that z-test",
        "test": "The test used, or why none was possible",
        "significance_95": "higher or lower when the two-sample test's p-value is under 0.05, otherwise similar; "
                           "not_tested when the national figure has no standard error (only the difference is "
                           "described); not_compared when suppressed",
        "significance_99_8": "The same at the 99.8% level (p-value under 0.002)",
        "compared_with": "Identifier of the national headline figure compared with",
    },
    "context.csv": {
        "area_code": _AREA["area_code"],
        "priority_area": "Priority area the indicator informs, or context",
        "indicator_id": "Fingertips (OHID) indicator number; for a Welsh area, jsna-kit's number for one of Wales's "
                        "own indicators (9000001 to 9000999, which no Fingertips indicator uses)",
        "indicator_name": "Indicator name (Fingertips', or for a Welsh area jsna-kit's for the Welsh source)",
        "unit": "Unit of the value, as Fingertips gives it",
        "polarity": "Whether a higher value is better, worse, or neither (Fingertips polarity)",
        "sex": "Sex the value describes",
        "age": "Age group the value describes",
        "time_period": "Period of the value",
        "value": "The area's value",
        "lower_95": "Lower end of the value's 95% interval",
        "upper_95": "Upper end of the value's 95% interval",
        "lower_998": "Lower end of the value's 99.8% interval",
        "upper_998": "Upper end of the value's 99.8% interval",
        "value_note": "Fingertips note on the value",
        "england_value": "The value of the nation the area is compared with (comparator_name): England's for an "
                         "English area, Wales's for a Welsh one",
        "region_code": "ONS code of the area's region",
        "region_value": "The region's value",
        "benchmark_england_95": "Compared with England at 95% (Fingertips rules): better, similar, worse, "
                                "higher, lower or not compared",
        "benchmark_england_99_8": "Compared with England at 99.8%",
        "benchmark_region_95": "Compared with the region at 95%",
        "benchmark_region_99_8": "Compared with the region at 99.8%",
        "relative_to_england": "The area's value divided by England's (for a Welsh area, by Wales's)",
        "relative_lower": "The lower end of the 95% interval divided by England's value",
        "relative_upper": "The upper end of the 95% interval divided by England's value",
        "direction_england": "The area's value against England's (for a Welsh area, Wales's) from the values alone: "
                             "higher, lower or same (within "
                             "0.5%); not a test of significance (used where the value has no interval)",
        "england_lowest": "The lowest value among English upper-tier areas (England's range, as the spine chart "
                          "shades it); for a Welsh area, among the 22 Welsh areas",
        "england_q1": "The 25th percentile of the values of English upper-tier areas (for a Welsh area, Welsh areas)",
        "england_q3": "The 75th percentile of the values of English upper-tier areas (for a Welsh area, Welsh areas)",
        "england_highest": "The highest value among English upper-tier areas (for a Welsh area, Welsh areas)",
        "source": "Where the value came from: fingertips_download (Fingertips files in the data directory, with "
                  "intervals), snapshot (jsna-kit's embedded copy of the latest values, without intervals) or "
                  "wales_snapshot (jsna-kit's embedded copy of Wales's own published figures, without intervals)",
        "comparator_code": "ONS code of the nation the area is compared with: E92000001 (England) or W92000004 (Wales)",
        "comparator_name": "The nation the area is compared with, England or Wales: the england_ columns hold its "
                           "value and its spread across its own areas",
    },
    "neighbours.csv": {
        "area_code": "ONS code of the area the row describes: the chapter's area, one of its statistical neighbours, "
                     "or its nation",
        "area_name": "Name of that area",
        "role": "area (the chapter's area), neighbour (one of the areas most like it: model.neighbours) or nation",
        "indicator_id": "Fingertips (OHID) indicator number; for Wales, jsna-kit's number for one of Wales's own "
                        "indicators (9000001 to 9000999); 0 for the modelled caseload per 1,000 adults",
        "indicator_name": "What is compared",
        "polarity": "Whether a higher value is better, worse, or neither",
        "unit": "Unit of the value",
        "period": "Period of the value",
        "value": "The value (the caseload per 1,000 adults: the headline model's, for every area alike)",
    },
    "services.csv": {
        "area_code": _AREA["area_code"],
        "area_name": "Name of the local authority as the analyst's services file gives it",
        "priority_area": "Priority area the service serves",
        "service": "The local service, as the analyst named it",
        "measure": "What is counted or measured, with its unit",
        "value_suppressed": "True where the analyst's file marked the value as suppressed",
        "period": "Period of the figure",
        "source": "Where the analyst's figure came from",
        "note": "The analyst's note",
        "is_count": "True when the measure counts people (then published by the rule for counts: fewer than 5 not "
                    "shown, the rest rounded to 5); false for a wait, share or rate, published as given",
        "shown": "The figure as published (blank where fewer than 5 people, or suppressed in the file)",
    },
    "recommendations.csv": {
        "order": "The recommendation's place in this chapter (1 = first): its top three, then the rest by score",
        "top": "True for the chapter's top three recommendations",
        "recommendation_id": "Stable identifier of the recommendation (recommendations.csv in the reference data)",
        "priority_area": _ESTIMATE_REFERENCE["priority_area"],
        "owner": "Who should act, by role (the chapter names this area's body for the role)",
        "text": "The recommendation, as the chapter words it (reworded where a local finding called for it)",
        "measure": "A measure of progress the board can track",
        "reason": "Why it is raised here: the local finding, in a short clause, or the national objective it serves",
        "finding": "The finding that raised it (the rule table's vocabulary: docs/recommendation_rules.md); blank "
                   "when none did",
        "score": "Its score: the reference priority's base score plus the points of every rule this area's findings "
                 "matched",
        "rule_points": "The rules that matched, with their points",
        "nation": "The nation(s) it applies in",
        "strategy_objective": "The 2019 strategy's objective it follows from",
        "basis": "Source keys and legislation behind it",
        "reason_cy": "A Welsh area's only: the reason in Welsh, as its Welsh chapter prints it (the rule's Welsh "
                     "template with the same figures); blank when no local finding raised it",
        "text_cy": "A Welsh area's only: the Welsh wording, where a local finding reworded the recommendation; "
                   "blank otherwise (the reference wording's Welsh is used)",
    },
    "evidence.csv": {
        "estimate_id": "Stable identifier of the national figure",
        **{k: _ESTIMATE_REFERENCE[k] for k in ("priority_area", "measure", "finding_phrase", "setting",
                                               "setting_type")},
        "coverage": "national, regional, single_site or international",
        "sex": _ESTIMATE_REFERENCE["sex"],
        "age_band": "Age band as published ('all' when not split)",
        "parent_estimate_id": "For a figure for one sex or age band: the all-persons figure it belongs to",
        "measure_kind": "prevalence, count, rate, relative_risk, service_indicator, age_profile, screen_accuracy",
        "measure_scope": "overall (the need as a whole) or specific (a narrower measure)",
        "time_frame": "The period the figure describes: current, past_month, past_year, lifetime, or not_applicable",
        "value": "The figure, in unit (blank for gaps and for figures given only as a range)",
        "value_text": "The figure exactly as the source gives it",
        "value_approximate": "True when the source says about, c., one in five or more than",
        "range_low": "Lower end of a figure published only as a range or a bound",
        "range_high": "Upper end of a figure published only as a range",
        "unit": "percent (0 to 100), per_1000, per_100000, count or ratio",
        "numerator": "Count with the need, where the source gives it",
        "denominator": "Sample size, where the source gives it",
        "sample_size_note": "What is known about the sample size when it is not a clean count",
        "ci_lower": "Lower end of the interval the source publishes, in unit",
        "ci_upper": "Upper end of the interval the source publishes, in unit",
        "ci_level": "Level of the published interval, per cent (95: a 95% interval)",
        "design_effect": "The survey's design effect where the source publishes one (blank otherwise)",
        "year": _ESTIMATE_REFERENCE["year"],
        "year_end": "Last year of data collection (or the publication year as an upper bound)",
        "instrument": "Instrument or method as published",
        "instrument_type": "clinical_interview, screening_tool, administrative_record, practitioner_record, "
                           "self_report, modelled, literature_review or derived",
        **{k: _ESTIMATE_REFERENCE[k] for k in ("status", "grade", "grade_reason", "source_keys", "quality_note")},
        "brief_line": "Line of the project's research notes the figure comes from (for maintainers)",
        "role": "How the chapter uses the figure: headline, alternative, proxy, subgroup, comparator, context, gap",
        "headline_rank": "Rank under the headline rule among the figures that could head the priority area",
    },
}


def dictionary_rows(files: list[str]) -> list[tuple[str, str, str, str]]:
    """(file, sheet, column, meaning) for every column of the given table files, in file order."""
    return [(name, SHEETS[name], column, meaning) for name in files
            for column, meaning in DEFINITIONS[name].items()]
