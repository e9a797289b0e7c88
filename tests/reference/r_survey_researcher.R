# Reference numbers from R's survey package for tests/analysis/test_r_researcher.py:
# means with design effects (svymean/svyby, deff = TRUE), tests of independence
# (svychisq), logistic regression (svyglm, quasibinomial) and per-code shares (svyciprop).
#
# Run once from the repository root (R >= 4 with survey and jsonlite;
# Debian: apt-get install r-cran-survey r-cran-jsonlite), after writing the demo CSV:
#
#     .venv/bin/python tests/reference/make_demo_csv.py
#     Rscript tests/reference/r_survey_researcher.R
#
# It writes the api columns it uses (shipped with the survey package, GPL) to
# tests/reference/r_researcher_api*.csv and every result, with R's and survey's
# versions and the date, to tests/reference/r_survey_researcher.json. The tests read
# those files and never run R.
suppressMessages({
  library(survey)
  library(jsonlite)
})
data(api)

out_dir <- file.path("tests", "reference")
keep <- c("snum", "stype", "sch.wide", "awards", "comp.imp", "api00", "api99", "meals",
          "ell", "enroll", "acs.k3", "fpc", "pw", "dnum")
add_size <- function(d) {
  d$size <- ifelse(d$enroll < 400, "small", ifelse(d$enroll < 800, "medium", "large"))
  d
}
strat <- add_size(apistrat[, keep])
clus1 <- add_size(apiclus1[, keep])
clus1$lstrat <- ifelse(clus1$dnum == 61, "A", ifelse(clus1$dnum < 450, "B", "C"))
srs <- add_size(apisrs[, keep])
write.csv(strat, file.path(out_dir, "r_researcher_apistrat.csv"), row.names = FALSE)
write.csv(clus1, file.path(out_dir, "r_researcher_apiclus1.csv"), row.names = FALSE)
write.csv(srs, file.path(out_dir, "r_researcher_apisrs.csv"), row.names = FALSE)

codes <- c("area", "tilfreds_omraade", "tryg_efter_moerke", "alder", "koen", "boet_aar",
           "oprindelse")
demo <- read.csv(file.path(out_dir, "r_researcher_demo2016.csv"), colClasses = "character",
                 na.strings = "")
demo$antal_boern <- as.numeric(demo$antal_boern)
demo$pop <- as.numeric(demo$pop)

datasets <- list(apistrat = strat, apiclus1 = clus1, apisrs = srs, demo2016 = demo)
files <- list(apistrat = "r_researcher_apistrat.csv", apiclus1 = "r_researcher_apiclus1.csv",
              apisrs = "r_researcher_apisrs.csv", demo2016 = "r_researcher_demo2016.csv")

make_design <- function(spec, data) {
  ids <- if (is.null(spec$cluster)) ~1 else as.formula(paste0("~", spec$cluster))
  args <- list(ids = ids, data = data)
  if (!is.null(spec$strata)) args$strata <- as.formula(paste0("~", spec$strata))
  if (!is.null(spec$weights)) args$weights <- as.formula(paste0("~", spec$weights))
  if (!is.null(spec$fpc)) args$fpc <- as.formula(paste0("~", spec$fpc))
  suppressWarnings(do.call(svydesign, args))
}

# Values of `exclude` become NA, as a researcher would code them for R.
prepare <- function(case) {
  data <- datasets[[case$data]]
  for (column in names(case$na_codes)) {
    data[[column]][data[[column]] %in% case$na_codes[[column]]] <- NA
  }
  data
}

# ---- means and shares with design effects ------------------------------------------
mean_group <- function(d, variable) {
  f <- as.formula(paste0("~", variable))
  m <- svymean(f, d, deff = TRUE, na.rm = TRUE)
  df <- degf(d)
  ci <- as.vector(confint(m, df = df))
  list(n = sum(!is.na(d$variables[[variable]])), mean = as.vector(coef(m)),
       se = as.vector(SE(m)), ci_low = ci[1], ci_high = ci[2], df = df,
       deff = as.vector(deff(m)))
}

run_mean <- function(case) {
  options(survey.lonely.psu = case$lonely_psu)
  data <- prepare(case)
  if (!is.null(case$positive)) {
    data$y <- ifelse(is.na(data[[case$item]]), NA,
                     as.numeric(data[[case$item]] %in% case$positive))
    variable <- "y"
  } else {
    variable <- case$item
  }
  d <- make_design(case$design, data)
  answered <- !is.na(d$variables[[variable]])
  if (is.null(case$by)) {
    groups <- list(mean_group(subset(d, answered), variable))
  } else {
    keys <- sort(unique(d$variables[[case$by]][answered]))
    groups <- lapply(keys, function(k) {
      g <- mean_group(subset(d, answered & d$variables[[case$by]] %in% k), variable)
      g[[case$by]] <- as.character(k)
      g
    })
    byf <- as.formula(paste0("~", case$by))
    tab <- svyby(as.formula(paste0("~", variable)), byf, subset(d, answered), svymean,
                 deff = TRUE, na.rm = TRUE)
    for (i in seq_along(groups)) {
      groups[[i]]$svyby_mean <- as.vector(coef(tab))[i]
      groups[[i]]$svyby_se <- as.vector(SE(tab))[i]
      groups[[i]]$svyby_deff <- as.vector(deff(tab))[i]
    }
  }
  case$results <- groups
  case
}

# ---- svychisq and the row shares of the table --------------------------------------
run_chisq <- function(case) {
  options(survey.lonely.psu = case$lonely_psu)
  data <- prepare(case)
  d <- make_design(case$design, data)
  f <- as.formula(paste0("~", case$row, "+", case$col))
  out <- list()
  for (s in c("F", "Chisq")) {
    t <- svychisq(f, d, statistic = s)
    corrected <- if (s == "Chisq") qchisq(t$p.value, t$parameter[["df"]], lower.tail = FALSE)
                 else NA
    out[[s]] <- list(statistic = as.vector(t$statistic), parameter = as.list(t$parameter),
                     p_value = t$p.value, corrected_from_p = corrected)
  }
  both <- !is.na(d$variables[[case$row]]) & !is.na(d$variables[[case$col]])
  cells <- list()
  for (r in sort(unique(d$variables[[case$row]][both]))) {
    for (cc in sort(unique(d$variables[[case$col]][both]))) {
      dd <- subset(d, both & d$variables[[case$row]] == r)
      dd$variables$y <- as.numeric(dd$variables[[case$col]] == cc)
      p <- svyciprop(~y, dd, method = "logit")
      ci <- as.vector(attr(p, "ci"))
      cells[[length(cells) + 1]] <- list(row = r, col = cc, p = as.vector(coef(p)),
                                         se = sqrt(as.vector(attr(p, "var"))),
                                         ci_low = ci[1], ci_high = ci[2])
    }
  }
  total <- svytable(f, subset(d, both))
  case$test <- out
  case$cells <- cells
  case$weighted_total <- sum(total)
  case
}

# ---- svyglm(quasibinomial) ----------------------------------------------------------
run_glm <- function(case) {
  options(survey.lonely.psu = case$lonely_psu)
  data <- prepare(case)
  data$y <- ifelse(is.na(data[[case$outcome]]), NA,
                   as.numeric(data[[case$outcome]] %in% case$positive))
  d <- make_design(case$design, data)
  f <- as.formula(paste("y ~", paste(case$predictors, collapse = " + ")))
  # glm's default convergence (epsilon = 1e-8) leaves the working weights, and so the
  # sandwich, about 1e-5 from the maximum (glm.fit keeps the weights of the iteration
  # before the last). Iterate to the maximum, then refit from it so that the weights
  # are those at the maximum, as analysis.logit computes them.
  m0 <- svyglm(f, design = d, family = quasibinomial(),
               control = glm.control(epsilon = 1e-12, maxit = 100))
  # svyglm evaluates its glm call away from this function: `start` must be global
  assign("start_values", coef(m0), envir = globalenv())
  m <- svyglm(f, design = d, family = quasibinomial(), start = start_values,
              control = glm.control(epsilon = 1e-12, maxit = 100))
  s <- summary(m)$coefficients
  ci <- confint(m)
  terms <- rownames(s)
  case$results <- lapply(seq_along(terms), function(i) {
    list(term = terms[i], estimate = s[i, 1], se = s[i, 2], t = s[i, 3], p_value = s[i, 4],
         ci_low = ci[i, 1], ci_high = ci[i, 2], df = m$df.residual)
  })
  case$n <- length(m$y)
  case$converged <- m$converged
  case$call <- paste("svyglm(formula, design, family = quasibinomial(), start = coef(m0),",
                     "control = glm.control(epsilon = 1e-12, maxit = 100)), m0 the same fit",
                     "without start")
  case
}

# ---- distribution: svyciprop per code ------------------------------------------------
run_dist <- function(case) {
  options(survey.lonely.psu = case$lonely_psu)
  data <- prepare(case)
  d <- make_design(case$design, data)
  answered <- !is.na(d$variables[[case$item]])
  levels <- sort(unique(d$variables[[case$item]][answered]))
  groups <- if (is.null(case$by)) list(NULL) else as.list(sort(unique(d$variables[[case$by]])))
  rows <- list()
  for (g in groups) {
    inside <- answered
    if (!is.null(g)) inside <- inside & d$variables[[case$by]] == g
    for (code in levels) {
      dd <- subset(d, inside)
      dd$variables$y <- as.numeric(dd$variables[[case$item]] == code)
      p <- svyciprop(~y, dd, method = "logit")
      ci <- as.vector(attr(p, "ci"))
      row <- list(code = code, n = sum(inside), p = as.vector(coef(p)), ci_low = ci[1],
                  ci_high = ci[2])
      if (!is.null(g)) row[[case$by]] <- g
      rows[[length(rows) + 1]] <- row
    }
  }
  case$results <- rows
  case
}

des_strat <- list(strata = "stype", weights = "pw", fpc = "fpc")
des_clus1 <- list(cluster = "dnum", weights = "pw", fpc = "fpc")
des_srs <- list(fpc = "fpc")
des_none <- list()
des_lonely <- list(cluster = "dnum", strata = "lstrat", weights = "pw")
des_demo <- list(strata = "area", fpc = "pop")
ninety <- list(tilfreds_omraade = "9", tryg_efter_moerke = "9", koen = "8",
               oprindelse = "8")

spec <- function(kind, name, data, design, ..., na_codes = NULL, lonely = "fail") {
  c(list(kind = kind, name = name, data = data, file = files[[data]], design = design,
         na_codes = na_codes, lonely_psu = lonely), list(...))
}

means <- list(
  spec("mean", "strat api00", "apistrat", des_strat, item = "api00"),
  spec("mean", "strat api00 by stype", "apistrat", des_strat, item = "api00", by = "stype"),
  spec("mean", "strat acs.k3 (NA) by awards", "apistrat", des_strat, item = "acs.k3",
       by = "awards"),
  spec("mean", "clus1 enroll", "apiclus1", des_clus1, item = "enroll"),
  spec("mean", "clus1 api00 by stype", "apiclus1", des_clus1, item = "api00", by = "stype"),
  spec("mean", "srs fpc meals by awards", "apisrs", des_srs, item = "meals", by = "awards"),
  spec("mean", "lonely adjust api00 by stype", "apiclus1", des_lonely, item = "api00",
       by = "stype", lonely = "adjust"),
  spec("mean", "demo antal_boern by area", "demo2016", des_demo, item = "antal_boern",
       by = "area"),
  spec("mean", "demo antal_boern", "demo2016", des_demo, item = "antal_boern"),
  spec("share", "strat sch.wide deff", "apistrat", des_strat, item = "sch.wide",
       positive = "Yes"),
  spec("share", "clus1 awards by stype deff", "apiclus1", des_clus1, item = "awards",
       positive = "Yes", by = "stype"),
  spec("share", "demo tilfreds 1,2 excl. 9 by area deff", "demo2016", des_demo,
       item = "tilfreds_omraade", positive = c("1", "2"), by = "area", na_codes = ninety)
)
chisqs <- list(
  spec("chisq", "strat stype x awards", "apistrat", des_strat, row = "stype", col = "awards"),
  spec("chisq", "strat stype x size", "apistrat", des_strat, row = "stype", col = "size"),
  spec("chisq", "clus1 stype x sch.wide", "apiclus1", des_clus1, row = "stype",
       col = "sch.wide"),
  spec("chisq", "clus1 size x awards", "apiclus1", des_clus1, row = "size", col = "awards"),
  spec("chisq", "srs no design stype x awards", "apisrs", des_none, row = "stype",
       col = "awards"),
  spec("chisq", "lonely adjust stype x awards", "apiclus1", des_lonely, row = "stype",
       col = "awards", lonely = "adjust"),
  spec("chisq", "demo tilfreds x alder excl. 9", "demo2016", des_demo,
       row = "alder", col = "tilfreds_omraade", na_codes = ninety)
)
glms <- list(
  spec("glm", "strat sch.wide ~ api00 + stype", "apistrat", des_strat, outcome = "sch.wide",
       positive = "Yes", predictors = c("api00", "stype")),
  spec("glm", "clus1 awards ~ enroll + stype + meals", "apiclus1", des_clus1,
       outcome = "awards", positive = "Yes", predictors = c("enroll", "stype", "meals")),
  spec("glm", "srs no design awards ~ api00 + stype", "apisrs", des_none, outcome = "awards",
       positive = "Yes", predictors = c("api00", "stype")),
  spec("glm", "strat awards ~ acs.k3 (NA) + meals", "apistrat", des_strat, outcome = "awards",
       positive = "Yes", predictors = c("acs.k3", "meals")),
  spec("glm", "lonely adjust awards ~ api00", "apiclus1", des_lonely, outcome = "awards",
       positive = "Yes", predictors = c("api00"), lonely = "adjust"),
  spec("glm", "demo tilfreds ~ alder + koen + antal_boern", "demo2016", des_demo,
       outcome = "tilfreds_omraade", positive = c("1", "2"),
       predictors = c("alder", "koen", "antal_boern"), na_codes = ninety)
)
dists <- list(
  spec("distribution", "clus1 stype", "apiclus1", des_clus1, item = "stype"),
  spec("distribution", "strat size by awards", "apistrat", des_strat, item = "size",
       by = "awards"),
  spec("distribution", "demo tilfreds excl. 9 by area", "demo2016", des_demo,
       item = "tilfreds_omraade", by = "area", na_codes = ninety)
)

result <- list(
  r_version = R.version.string,
  survey_version = as.character(packageVersion("survey")),
  date = format(Sys.time(), "%Y-%m-%d %H:%M:%S %Z"),
  script = "tests/reference/r_survey_researcher.R",
  alpha = 0.05,
  means = lapply(means, run_mean),
  chisq = lapply(chisqs, run_chisq),
  glm = lapply(glms, run_glm),
  distribution = lapply(dists, run_dist)
)
write_json(result, file.path(out_dir, "r_survey_researcher.json"), digits = NA,
           auto_unbox = TRUE, pretty = TRUE, null = "null")
cat("wrote", file.path(out_dir, "r_survey_researcher.json"), "\n")
