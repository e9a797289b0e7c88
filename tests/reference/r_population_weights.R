# Reference numbers for weighting to population counts (tests/analysis/test_population_weights.py).
#
# Run once from the repository root (R >= 4 with the survey and jsonlite packages;
# Debian: apt-get install r-cran-survey r-cran-jsonlite):
#
#     Rscript tests/reference/r_population_weights.R
#
# It draws a synthetic sample of 300 respondents (set.seed below; the sample is
# written to tests/reference/r_population_sample.csv so that the tests never need R),
# reads the population counts by area x age group x sex from
# survey/frame/examples/population-2016.csv, and writes to
# tests/reference/r_population_results.json:
#   - postStratify(~area) weights and svymean of `satisfied`;
#   - rake(~area, ~alder, ~koen) weights and svymean of `satisfied`;
#   - for each, the SE of svymean in a design with the final weights as plain weights
#     (what analysis.estimate computes when given the weights), and the Kish design
#     effect n * sum(w^2) / sum(w)^2 and effective n sum(w)^2 / sum(w^2);
# with R's and survey's versions and the date.
suppressMessages({
  library(survey)
  library(jsonlite)
})
out_dir <- file.path("tests", "reference")
set.seed(2016)
n <- 300
areas <- c("glarbjergvej", "jennumparken", "vangdalen")
area <- sample(areas, n, replace = TRUE, prob = c(0.45, 0.25, 0.30))
alder <- sample(1:6, n, replace = TRUE, prob = c(0.06, 0.12, 0.18, 0.2, 0.2, 0.24))
koen <- sample(1:2, n, replace = TRUE, prob = c(0.42, 0.58))
p <- 0.55 + 0.05 * alder / 6 + ifelse(area == "vangdalen", 0.15, 0) - 0.05 * (koen == 2)
satisfied <- rbinom(n, 1, p)
sample_df <- data.frame(id = sprintf("r%03d", seq_len(n)), area = area, alder = alder,
                        koen = koen, satisfied = satisfied, stringsAsFactors = FALSE)
write.csv(sample_df, file.path(out_dir, "r_population_sample.csv"), row.names = FALSE)

pop <- read.csv(file.path("survey", "frame", "examples", "population-2016.csv"))
pop_area <- aggregate(count ~ area, data = pop, sum)
names(pop_area) <- c("area", "Freq")
pop_alder <- aggregate(count ~ alder, data = pop, sum)
names(pop_alder) <- c("alder", "Freq")
pop_koen <- aggregate(count ~ koen, data = pop, sum)
names(pop_koen) <- c("koen", "Freq")

base <- svydesign(ids = ~1, data = sample_df, weights = ~1)
kish <- function(w) length(w) * sum(w^2) / sum(w)^2
summarise <- function(design) {
  w <- weights(design)
  m <- svymean(~satisfied, design)
  plain <- svydesign(ids = ~1, data = transform(sample_df, w = w), weights = ~w)
  m_plain <- svymean(~satisfied, plain)
  list(
    weights = unname(as.numeric(w)),
    mean = unname(coef(m)[1]),
    se_calibrated = unname(SE(m)[1]),
    se_weights = unname(SE(m_plain)[1]),
    kish_deff = kish(w),
    effective_n = sum(w)^2 / sum(w^2)
  )
}
post <- postStratify(base, ~area, pop_area)
raked <- rake(base, list(~area, ~alder, ~koen), list(pop_area, pop_alder, pop_koen),
              control = list(maxit = 100, epsilon = 1e-10))
result <- list(
  r_version = R.version.string,
  survey_version = as.character(packageVersion("survey")),
  date = as.character(Sys.Date()),
  population = list(area = setNames(as.list(pop_area$Freq), pop_area$area),
                    alder = setNames(as.list(pop_alder$Freq), pop_alder$alder),
                    koen = setNames(as.list(pop_koen$Freq), pop_koen$koen)),
  poststratify = summarise(post),
  rake = summarise(raked)
)
write_json(result, file.path(out_dir, "r_population_results.json"), digits = NA,
           auto_unbox = TRUE, pretty = TRUE)
