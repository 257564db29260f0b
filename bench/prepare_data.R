# Builds the Stan data list for the models of shared/design/model-spec.md from a long CSV, written
# independently of Tributary's TypeScript (§2 panel and scaling, §3 transforms with the channel
# defaults, §4 Fourier + trend). Sourced by fit_stan.R and fit_stan_calibrated.R.
# prepare_calibration() (below) adds the lift-test and time-varying inputs of
# bench/stan/hierarchical_calibrated.stan.

channel_defaults <- function(ch) {
  tab <- list(
    spotify_ads_spend = list(kind = "geometric", alpha = 0.45, theta = 0, K = 0.40, S = 2.0),
    meta_spend        = list(kind = "geometric", alpha = 0.55, theta = 0, K = 0.50, S = 2.2),
    tiktok_spend      = list(kind = "geometric", alpha = 0.35, theta = 0, K = 0.30, S = 2.8),
    youtube_spend     = list(kind = "geometric", alpha = 0.50, theta = 0, K = 0.45, S = 2.0),
    radio_spend       = list(kind = "delayed",   alpha = 0.70, theta = 2, K = 0.60, S = 1.5),
    playlist_spend    = list(kind = "delayed",   alpha = 0.60, theta = 1, K = 0.50, S = 1.8))
  if (!is.null(tab[[ch]])) tab[[ch]] else list(kind = "geometric", alpha = 0.5, theta = 0, K = 0.5, S = 2.0)
}

adstock <- function(x, d, L = 8) {
  l <- 0:(L - 1)
  w <- if (d$kind == "geometric") d$alpha^l else d$alpha^((l - d$theta)^2)
  w <- w / sum(w)
  out <- numeric(length(x))
  for (t in seq_along(x)) for (j in 0:(L - 1)) if (t - j >= 1) out[t] <- out[t] + w[j + 1] * x[t - j]
  out
}

hill <- function(a, K, S) ifelse(a > 0, a^S / (K^S + a^S), 0)

prepare_data <- function(csv, target = "streaming_revenue") {
  d <- read.csv(csv, stringsAsFactors = FALSE, check.names = FALSE)
  channels <- grep("_spend$", names(d), value = TRUE)
  markets <- unique(d$country)
  date <- as.Date(d$date)
  d$t <- as.integer(round(as.numeric(date - min(date)) / 7))
  Tmax <- max(d$t)
  d$g <- match(d$country, markets)
  d <- d[order(d$g, d$t), ]
  N <- nrow(d); C <- length(channels); G <- length(markets)
  H <- matrix(0, N, C)
  y <- numeric(N)
  for (g in seq_len(G)) {
    rows <- which(d$g == g)
    ts <- d$t[rows]
    grid <- min(ts):max(ts)
    y[rows] <- d[[target]][rows] / mean(d[[target]][rows])
    for (c in seq_len(C)) {
      s <- d[[channels[c]]][rows]
      x <- numeric(length(grid))
      if (max(s) > 0) x[match(ts, grid)] <- s / max(s)
      def <- channel_defaults(channels[c])
      h <- hill(adstock(x, def), def$K, def$S)
      H[rows, c] <- h[match(ts, grid)]
    }
  }
  P <- 365.25 / 7
  tt <- d$t
  F <- cbind(sin(2 * pi * tt / P), cos(2 * pi * tt / P), sin(4 * pi * tt / P), cos(4 * pi * tt / P))
  list(
    stan = list(N = N, G = G, C = C, K = 0L, market = d$g, y = y,
                tau = if (Tmax > 0) tt / Tmax else rep(0, N), F = F, Z = matrix(0, N, 0), H = H),
    markets = markets, channels = channels,
    # for prepare_calibration(): the rows in the order of the Stan data (with global week t and
    # market index g), the target and the maximum global week
    rows = d, target = target, Tmax = Tmax)
}

# ---- Calibration: lift tests and time-varying effects ------------------------------------------
# Written from the definitions in the header of packages/models/src/model.ts ("Calibration and
# richer models") and packages/models/README.md, independently of the TypeScript code.

# Knot index (left knot, 1-based) and interpolation fraction of global weeks t for knots every E
# weeks (knot k at week (k-1)*E, J knots): w(t) = (1 - frac) w[knot] + frac w[knot + 1]. A week at
# or past the last knot gets knot J-1 with frac 1 (the last knot's value).
knot_position <- function(t, E, J) {
  k <- floor(t / E) + 1
  f <- (t - (k - 1) * E) / E
  last <- k >= J
  k[last] <- J - 1; f[last] <- 1
  list(knot = as.integer(k), frac = as.numeric(f))
}

# Scaled spend of market g, channel column ch on the global weekly grid 0..Tend (0 in gaps,
# before its first and after its last observed week), and the scale (max observed spend).
grid_spend <- function(prep, g, ch, Tend) {
  rows <- prep$rows[prep$rows$g == g, ]
  s <- rows[[ch]]
  scale <- max(s)
  x <- numeric(Tend + 1)
  if (scale > 0) x[rows$t + 1] <- s / scale
  list(x = x, scale = scale)
}

# prep: the result of prepare_data(csv). lift_csv: NULL or a CSV market,channel,start,end,
# delta_spend,lift,lift_se (start/end = dates of the first and last test week, inclusive; channel
# with or without the _spend suffix). time_varying: channel column names (or without _spend).
# Returns prep with prep$stan extended by the data of hierarchical_calibrated.stan and
# prep$lift (the tests with their global weeks, for reporting).
prepare_calibration <- function(prep, lift_csv = NULL, time_varying = character(0), knot_every = 4L, L_max = 8L) {
  s <- prep$stan; d <- prep$rows; C <- length(prep$channels)
  resolve_channel <- function(ch) {
    i <- match(ch, prep$channels)
    if (is.na(i)) i <- match(paste0(ch, "_spend"), prep$channels)
    if (is.na(i)) stop(sprintf("unknown channel %s", ch))
    i
  }
  tv <- vapply(time_varying, resolve_channel, 1L, USE.NAMES = FALSE)
  E <- as.integer(knot_every)
  J <- as.integer(ceiling(prep$Tmax / E) + 1)
  if (J < 2) J <- 2L
  kp <- knot_position(d$t, E, J)
  tv_index <- integer(C); tv_index[tv] <- seq_along(tv)
  s$V <- length(tv); s$tv_channel <- array(as.integer(tv), dim = length(tv))
  s$tv_index <- tv_index; s$J <- J; s$knot <- kp$knot; s$frac <- kp$frac

  first_day <- min(as.Date(d$date))  # global week 0, as prepare_data's t
  lifts <- if (is.null(lift_csv)) NULL else read.csv(lift_csv, stringsAsFactors = FALSE)
  Lt <- if (is.null(lifts)) 0L else nrow(lifts)
  lm <- integer(Lt); lc <- integer(Lt); ly <- numeric(Lt); lse <- numeric(Lt)
  id <- integer(0); dh <- numeric(0); lk <- integer(0); lf <- numeric(0)
  info <- list()
  for (l in seq_len(Lt)) {
    g <- match(lifts$market[l], prep$markets)
    if (is.na(g)) stop(sprintf("unknown market %s", lifts$market[l]))
    c <- resolve_channel(lifts$channel[l])
    st <- as.integer(round(as.numeric(as.Date(lifts$start[l]) - first_day) / 7))
    en <- as.integer(round(as.numeric(as.Date(lifts$end[l]) - first_day) / 7))
    Tend <- max(prep$Tmax, en + L_max - 1)
    gs <- grid_spend(prep, g, prep$channels[c], Tend)
    if (!(gs$scale > 0)) stop(sprintf("lift test %d: channel has no spend in the market", l))
    def <- channel_defaults(prep$channels[c])
    x1 <- gs$x; x1[(st:en) + 1] <- x1[(st:en) + 1] + lifts$delta_spend[l] / gs$scale
    h0 <- hill(adstock(gs$x, def, L_max), def$K, def$S)
    h1 <- hill(adstock(x1, def, L_max), def$K, def$S)
    weeks <- st:(en + L_max - 1)
    kw <- knot_position(weeks, E, J)
    ysc <- mean(d[[prep$target]][d$g == g])
    lm[l] <- g; lc[l] <- c; ly[l] <- lifts$lift[l] / ysc; lse[l] <- lifts$lift_se[l] / ysc
    id <- c(id, rep(l, length(weeks))); dh <- c(dh, (h1 - h0)[weeks + 1])
    lk <- c(lk, kw$knot); lf <- c(lf, kw$frac)
    info[[l]] <- data.frame(market = prep$markets[g], channel = prep$channels[c], start_t = st, end_t = en,
                            y_scale = ysc, spend_scale = gs$scale, sum_dh = sum((h1 - h0)[weeks + 1]))
  }
  s$L <- Lt; s$lift_market <- array(lm, dim = Lt); s$lift_channel <- array(lc, dim = Lt)
  s$lift_y <- array(ly, dim = Lt); s$lift_se <- array(lse, dim = Lt)
  s$R <- length(id); s$lift_id <- array(as.integer(id), dim = length(id)); s$dh <- array(dh, dim = length(dh))
  s$lift_knot <- array(as.integer(lk), dim = length(lk)); s$lift_frac <- array(lf, dim = length(lf))
  prep$stan <- s
  prep$time_varying <- prep$channels[tv]
  prep$knot_every <- E
  prep$lift <- if (Lt) do.call(rbind, info) else NULL
  prep
}

# Stan name -> Tributary name (tv_z's column k is knot k + 1: knot 1 is the fixed origin)
calibrated_name <- function(n, prep) {
  m <- regmatches(n, regexec("^([A-Za-z_]+)\\[(.*)\\]$", n))[[1]]
  if (length(m) == 0) return(n)
  base <- m[2]; idx <- as.integer(strsplit(m[3], ",")[[1]])
  tvc <- prep$time_varying
  lab <- switch(base,
    alpha_z = , alpha = , alpha_level = , delta = , sigma = prep$markets[idx],
    beta_log_mu = , beta_mu = , beta_sigma = prep$channels[idx],
    beta_z = , beta = c(prep$markets[idx[1]], prep$channels[idx[2]]),
    gamma = as.character(idx),
    tv_sigma = tvc[idx],
    tv_z = c(tvc[idx[1]], as.character(idx[2] + 1)),
    tv_multiplier = , tv_w = c(tvc[idx[1]], as.character(idx[2])),
    NULL)
  if (is.null(lab)) return(n)
  paste0(base, "[", paste(lab, collapse = ","), "]")
}

# ---- Learned transforms ------------------------------------------------------------------------
# Data of bench/stan/hierarchical_learned.stan: the adstock convolution runs inside Stan (alpha is
# a parameter), so instead of H the program gets, per channel c, the N x L matrix of lagged scaled
# spend Xlag[c][n, l + 1] = x[g, t_n - l, c] (spec §2/§3: per-market grid, per market-channel
# max scaling over the observed rows, 0 in gaps and before the market's first week), the weight
# exponents (l, or (l - theta)^2 for delayed adstock, l = 0..L-1), the rows whose lag window holds
# spend (a > 0 for every alpha in (0, 1), so data) and the prior centres / scales of spec §5.
# prep: the result of prepare_data(csv).
prepare_learned <- function(prep, L_max = 8L, concentration = 20, K_sd = 0.3, S_sd = 0.3) {
  s <- prep$stan; d <- prep$rows; C <- length(prep$channels); N <- nrow(d)
  Xlag <- array(0, dim = c(C, N, L_max))
  expo <- matrix(0, C, L_max); pos <- matrix(0, C, N)
  alpha0 <- K0 <- S0 <- numeric(C)
  for (c in seq_len(C)) {
    for (g in seq_along(prep$markets)) {
      rows <- which(d$g == g)
      gs <- grid_spend(prep, g, prep$channels[c], prep$Tmax)  # global weeks 0..Tmax, 0 off the market's rows
      for (l in 0:(L_max - 1)) {
        tl <- d$t[rows] - l
        Xlag[c, rows, l + 1] <- ifelse(tl >= 0, gs$x[pmax(tl, 0) + 1], 0)
      }
    }
    pos[c, ] <- as.numeric(rowSums(Xlag[c, , , drop = FALSE][1, , ]) > 0)
    def <- channel_defaults(prep$channels[c])
    l <- 0:(L_max - 1)
    expo[c, ] <- if (def$kind == "geometric") l else (l - def$theta)^2
    alpha0[c] <- def$alpha; K0[c] <- def$K; S0[c] <- def$S
  }
  s$H <- NULL
  s$L <- as.integer(L_max); s$Xlag <- Xlag; s$expo <- expo; s$pos <- pos
  s$alpha0 <- array(alpha0, dim = C); s$K0 <- array(K0, dim = C); s$S0 <- array(S0, dim = C)
  s$adstock_alpha_concentration <- concentration; s$sat_K_sd <- K_sd; s$sat_S_sd <- S_sd
  prep$stan <- s
  prep
}

# Stan name -> Tributary name for hierarchical_learned.stan (markets / channels by the panel's order)
learned_name <- function(n, prep) {
  m <- regmatches(n, regexec("^([A-Za-z_]+)\\[(.*)\\]$", n))[[1]]
  if (length(m) == 0) return(n)
  base <- m[2]; idx <- as.integer(strsplit(m[3], ",")[[1]])
  lab <- switch(base,
    alpha_z = , alpha = , alpha_level = , delta = , sigma = prep$markets[idx],
    beta_log_mu = , beta_mu = , beta_sigma = , adstock_alpha = , sat_K = , sat_S = prep$channels[idx],
    beta_z = , beta = c(prep$markets[idx[1]], prep$channels[idx[2]]),
    gamma = as.character(idx),
    NULL)
  if (is.null(lab)) return(n)
  paste0(base, "[", paste(lab, collapse = ","), "]")
}
