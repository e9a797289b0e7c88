# Reference numbers from R's survey package for tests/analysis/test_r_reference.py.
#
# Run once from the repository root (R >= 4 with the survey and jsonlite packages;
# Debian: apt-get install r-cran-survey r-cran-jsonlite):
#
#     Rscript tests/reference/r_survey_reference.R
#
# It writes the api data sets it uses (shipped with the survey package, GPL) to
# tests/reference/r_survey_api*.csv and every result, with R's version, survey's version
# and the date, to tests/reference/r_survey_results.json. The tests read those files
# and never run R.
suppressMessages({
  library(survey)
  library(jsonlite)
})
data(api)

out_dir <- file.path("tests", "reference")
keep <- c("snum", "stype", "sch.wide", "awards", "comp.imp", "both", "enroll",
          "fpc", "pw", "dnum", "cname")

strat <- apistrat[, keep]
clus1 <- apiclus1[, keep]
# An artificial stratification of the districts in which stratum "A" holds a single PSU.
clus1$lstrat <- ifelse(clus1$dnum == 61, "A", ifelse(clus1$dnum < 450, "B", "C"))
srs <- apisrs[, keep]

write.csv(strat, file.path(out_dir, "r_survey_apistrat.csv"), row.names = FALSE)
write.csv(clus1, file.path(out_dir, "r_survey_apiclus1.csv"), row.names = FALSE)
write.csv(srs, file.path(out_dir, "r_survey_apisrs.csv"), row.names = FALSE)

make_design <- function(spec, data) {
  ids <- if (is.null(spec$cluster)) ~1 else as.formula(paste0("~", spec$cluster))
  args <- list(ids = ids, data = data)
  if (!is.null(spec$strata)) args$strata <- as.formula(paste0("~", spec$strata))
  if (!is.null(spec$weights)) args$weights <- as.formula(paste0("~", spec$weights))
  if (!is.null(spec$fpc)) args$fpc <- as.formula(paste0("~", spec$fpc))
  suppressWarnings(do.call(svydesign, args))
}

design_call <- function(spec, data) {
  parts <- c(paste0("ids = ~", if (is.null(spec$cluster)) "1" else spec$cluster))
  for (arg in c("strata", "weights", "fpc")) {
    if (!is.null(spec[[arg]])) parts <- c(parts, paste0(arg, " = ~", spec[[arg]]))
  }
  paste0("svydesign(", paste(c(parts, paste0("data = ", data)), collapse = ", "), ")")
}

datasets <- list(apistrat = strat, apiclus1 = clus1, apisrs = srs)
files <- list(apistrat = "r_survey_apistrat.csv", apiclus1 = "r_survey_apiclus1.csv",
              apisrs = "r_survey_apisrs.csv")

one_group <- function(d, method) {
  r <- svyciprop(~y, d, method = method, level = 0.95)
  ci <- as.vector(attr(r, "ci"))
  out <- list(n = nrow(d), p = as.vector(coef(r)), se = sqrt(as.vector(attr(r, "var"))),
              ci_low = ci[1], ci_high = ci[2], df = degf(d),
              svymean_se = as.vector(SE(svymean(~y, d))))
  if (method == "logit") {
    # "logit" fits svyglm(quasibinomial); "xlogit" is the same t interval on the logit
    # scale by the delta method (svycontrast). They agree unless svyglm has no residual
    # degrees of freedom (a domain with df = 1), where "logit" returns 0 and NaN.
    x <- as.vector(attr(svyciprop(~y, d, method = "xlogit", level = 0.95), "ci"))
    out$xlogit_ci_low <- x[1]
    out$xlogit_ci_high <- x[2]
  }
  out
}

run_case <- function(case) {
  options(survey.lonely.psu = case$lonely_psu)
  data <- datasets[[case$data]]
  d <- make_design(case$design, data)
  d$variables$y <- as.numeric(d$variables[[case$item]] %in% case$positive)
  if (!is.null(case$subset)) {
    # an `exclude`-like domain: subset() of the design keeps every PSU for the variance
    d <- subset(d, enroll > case$subset$enroll_above)
  }
  if (is.null(case$by)) {
    groups <- list(one_group(d, case$method))
  } else {
    byf <- as.formula(paste0("~", paste(case$by, collapse = "+")))
    tab <- svyby(~y, byf, d, svyciprop, method = case$method, vartype = c("se", "ci"))
    keys <- unique(d$variables[, case$by, drop = FALSE])
    keys <- keys[do.call(order, keys), , drop = FALSE]
    groups <- lapply(seq_len(nrow(keys)), function(k) {
      inside <- Reduce(`&`, lapply(case$by, function(b) d$variables[[b]] == keys[[b]][k]))
      g <- one_group(d[inside, ], case$method)
      for (b in case$by) g[[b]] <- as.character(keys[[b]][k])
      # svyby's own numbers for the same group, to show both routes agree
      row <- Reduce(`&`, lapply(case$by, function(b) as.character(tab[[b]]) == keys[[b]][k]))
      g$svyby_p <- tab$y[row]
      g$svyby_se <- tab$se[row]
      g$svyby_ci_low <- tab$ci_l[row]
      g$svyby_ci_high <- tab$ci_u[row]
      g
    })
  }
  case$call <- design_call(case$design, case$data)
  case$results <- groups
  case
}

des_strat <- list(strata = "stype", weights = "pw", fpc = "fpc")
des_clus1 <- list(cluster = "dnum", weights = "pw", fpc = "fpc")
des_clus1_nofpc <- list(cluster = "dnum", weights = "pw")
des_srs <- list(fpc = "fpc")
des_srs_w <- list(weights = "pw")
des_strat_now <- list(strata = "stype", fpc = "fpc")
des_lonely <- list(cluster = "dnum", strata = "lstrat", weights = "pw")

specs <- list()
add <- function(name, data, design, item, by = NULL, subset = NULL, lonely = "fail",
                methods = c("logit", "beta", "mean")) {
  for (m in methods) {
    specs[[length(specs) + 1]] <<- list(
      name = paste(name, m, sep = "/"), data = data, file = files[[data]], design = design,
      item = item, positive = "Yes", by = by, subset = subset, method = m,
      lonely_psu = lonely)
  }
}
add("strat sch.wide", "apistrat", des_strat, "sch.wide")
add("strat awards by stype", "apistrat", des_strat, "awards", by = "stype")
add("strat comp.imp by awards", "apistrat", des_strat, "comp.imp", by = "awards")
add("strat comp.imp enroll>500", "apistrat", des_strat, "comp.imp",
    subset = list(enroll_above = 500))
add("strat both by stype enroll>500", "apistrat", des_strat, "both", by = "stype",
    subset = list(enroll_above = 500))
add("strat awards by stype+sch.wide", "apistrat", des_strat, "awards",
    by = c("stype", "sch.wide"))
add("strat sch.wide by cname", "apistrat", des_strat, "sch.wide", by = "cname")
add("strat no weights sch.wide", "apistrat", des_strat_now, "sch.wide")
add("clus1 sch.wide", "apiclus1", des_clus1, "sch.wide")
add("clus1 awards by stype", "apiclus1", des_clus1, "awards", by = "stype")
add("clus1 sch.wide by cname", "apiclus1", des_clus1, "sch.wide", by = "cname")
add("clus1 comp.imp enroll>500", "apiclus1", des_clus1, "comp.imp",
    subset = list(enroll_above = 500))
add("clus1 both by stype enroll>500", "apiclus1", des_clus1, "both", by = "stype",
    subset = list(enroll_above = 500))
add("clus1 no fpc awards by stype", "apiclus1", des_clus1_nofpc, "awards", by = "stype")
add("srs fpc sch.wide", "apisrs", des_srs, "sch.wide")
add("srs weights awards by stype", "apisrs", des_srs_w, "awards", by = "stype")
add("lonely adjust sch.wide", "apiclus1", des_lonely, "sch.wide", lonely = "adjust")
add("lonely adjust awards by stype", "apiclus1", des_lonely, "awards", by = "stype",
    lonely = "adjust")

cases <- lapply(specs, run_case)

# R refuses a stratum with a single PSU under the default survey.lonely.psu = "fail".
options(survey.lonely.psu = "fail")
lonely_fail <- tryCatch({
  d <- make_design(des_lonely, clus1)
  svymean(~enroll, d)
  "no error"
}, error = function(e) conditionMessage(e))

# Raking and post-stratification of apiclus1 to the population margins of apipop.
options(survey.lonely.psu = "fail")
dclus1 <- make_design(des_clus1, clus1)
pop_stype <- as.data.frame(table(stype = apipop$stype))
pop_schwide <- as.data.frame(table(sch.wide = apipop$sch.wide))
raked <- rake(dclus1, list(~stype, ~sch.wide), list(pop_stype, pop_schwide),
              control = list(maxit = 100, epsilon = 1e-13))
post <- postStratify(dclus1, ~stype, pop_stype)
to_totals <- function(tab, col) setNames(as.list(tab$Freq), as.character(tab[[col]]))

result <- list(
  r_version = R.version.string,
  survey_version = as.character(packageVersion("survey")),
  date = format(Sys.time(), "%Y-%m-%d %H:%M:%S %Z"),
  script = "tests/reference/r_survey_reference.R",
  alpha = 0.05,
  cases = cases,
  lonely_fail = list(data = "apiclus1", file = files$apiclus1, design = des_lonely,
                     error = lonely_fail),
  rake = list(data = "apiclus1", file = files$apiclus1, start_weights = "pw",
              margins = list(stype = to_totals(pop_stype, "stype"),
                             sch.wide = to_totals(pop_schwide, "sch.wide")),
              call = "rake(dclus1, list(~stype, ~sch.wide), list(pop_stype, pop_schwide), control = list(maxit = 100, epsilon = 1e-13))",
              snum = clus1$snum, weights = as.vector(weights(raked))),
  poststratify = list(data = "apiclus1", file = files$apiclus1, start_weights = "pw",
                      column = "stype", totals = to_totals(pop_stype, "stype"),
                      call = "postStratify(dclus1, ~stype, pop_stype)",
                      snum = clus1$snum, weights = as.vector(weights(post)))
)
write_json(result, file.path(out_dir, "r_survey_results.json"), digits = NA,
           auto_unbox = TRUE, pretty = TRUE, null = "null")
cat("wrote", length(cases), "cases to", file.path(out_dir, "r_survey_results.json"), "\n")
