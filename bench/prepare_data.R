# Builds the Stan data list for the models of shared/design/model-spec.md from a long CSV, written
# independently of Tributary's TypeScript (§2 panel and scaling, §3 transforms with the channel
# defaults, §4 Fourier + trend). Sourced by fit_stan.R.

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
    markets = markets, channels = channels)
}
