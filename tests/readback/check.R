# Reads carenet's weeks.csv files back with readr (tests/readback.sh).
# Usage: Rscript check.R WORKDIR
suppressPackageStartupMessages(library(readr))
work <- commandArgs(trailingOnly = TRUE)[1]
passed <- 0
check <- function(condition, message) {
  if (!isTRUE(condition)) stop(paste("FAILED:", message))
  passed <<- passed + 1
}
cmp <- read_csv(file.path(work, "cmp", "weeks.csv"), show_col_types = FALSE,
                col_types = cols(seed = col_character(), .default = col_guess()))
check(identical(names(cmp)[1:5], c("run", "variant", "replicate", "seed", "week")), "comparison columns")
check(nrow(cmp) == 16, "2 variants x 2 replicates x 4 weeks")
check(is.numeric(cmp$unmet_hours) && is.numeric(cmp$mean_strain), "metrics are numbers")
check(nrow(problems(cmp)) == 0, "no parsing problems")
sweep <- read_csv(file.path(work, "sweep", "weeks.csv"), show_col_types = FALSE,
                  col_types = cols(seed = col_character(), .default = col_guess()))
check("neighbourhood_all_cohesion" %in% names(sweep), "plain parameter name kept by R")
check(identical(sort(unique(sweep$neighbourhood_all_cohesion)), c(0.2, 0.8)), "the varied values")
check(all(make.names(names(sweep)) == names(sweep)), "every column name is a syntactic R name")
yearly <- read_csv(file.path(work, "years", "yearly.csv"), show_col_types = FALSE)
check(nrow(problems(yearly)) == 0, "yearly.csv: no parsing problems")
check(all(vapply(yearly, is.numeric, logical(1))), "yearly.csv: every column is a number")
check(all(make.names(names(yearly)) == names(yearly)), "yearly.csv: syntactic R names")
check(identical(as.numeric(yearly$calendar_year), c(2025, 2026, 2027)), "yearly.csv: calendar years")
check(all(abs(yearly$need_hours - (yearly$household_hours + yearly$informal_hours +
  yearly$formal_hours + yearly$unmet_hours)) < 0.005), "yearly.csv: need identity")
cat(sprintf("readback (R readr): %d passed, 0 failed\n", passed))
