//! The FSRS-6 memory model as the optimizer sees it: one generic step over a number type, run
//! with `f64` to predict and with `Dual` (forward-mode derivatives with respect to all 21
//! parameters) to train. Pure arithmetic; no data handling.
//!
//! The model is fsrs-rs's training model (its `model.rs`/`analytic.rs`): stability clamped to
//! `[S_MIN, S_MAX]` and difficulty to `[1, 10]` after every review, same-day reviews on the
//! short-term formula (w17-w19; Hard, Good and Easy never lower stability there), lapses
//! capped by `S / exp(w17 * w18)`, the power forgetting curve with decay `-w20`. A clamp
//! passes gradients on its boundary and stops them outside, as PyTorch's does.

// s, d, r, w: the names of the FSRS papers and the reference code.
#![allow(clippy::many_single_char_names)]

use std::ops::{Add, Mul, Neg, Sub};

use crate::schedule::fsrs::{D_MAX, D_MIN, S_MAX, S_MIN};

/// Number of FSRS-6 parameters.
pub const N: usize = 21;

/// Predicted probabilities are kept in `[P_MIN, 1 - P_MIN]` inside the loss.
pub const P_MIN: f64 = 1e-7;

/// What the model needs from a number: arithmetic, `exp`, `ln`, and its plain value.
pub trait Real:
    Copy
    + Add<Output = Self>
    + Sub<Output = Self>
    + Mul<Output = Self>
    + Neg<Output = Self>
    + Add<f64, Output = Self>
    + Mul<f64, Output = Self>
{
    fn value(self) -> f64;
    #[must_use]
    fn constant(v: f64) -> Self;
    #[must_use]
    fn exp(self) -> Self;
    #[must_use]
    fn ln(self) -> Self;
    #[must_use]
    fn recip(self) -> Self;
    /// `self ^ e` for `self > 0`.
    #[must_use]
    fn powr(self, e: Self) -> Self {
        (self.ln() * e).exp()
    }
}

impl Real for f64 {
    fn value(self) -> f64 {
        self
    }
    fn constant(v: f64) -> Self {
        v
    }
    fn exp(self) -> Self {
        f64::exp(self)
    }
    fn ln(self) -> Self {
        f64::ln(self)
    }
    fn recip(self) -> Self {
        1.0 / self
    }
    fn powr(self, e: Self) -> Self {
        self.powf(e)
    }
}

/// A value and its derivatives with respect to the 21 parameters.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Dual {
    pub v: f64,
    pub d: [f64; N],
}

impl Dual {
    /// Parameter `i` with value `v`: derivative 1 with respect to itself.
    pub fn variable(v: f64, i: usize) -> Self {
        let mut d = [0.0; N];
        d[i] = 1.0;
        Self { v, d }
    }

    /// `self` scaled by `f` in value and derivatives, plus `g` times `other`'s derivatives:
    /// the chain rule's common shape, `v` given.
    fn chain(v: f64, a: &Self, fa: f64, b: &Self, fb: f64) -> Self {
        let mut d = [0.0; N];
        for ((out, x), y) in d.iter_mut().zip(&a.d).zip(&b.d) {
            *out = x * fa + y * fb;
        }
        Self { v, d }
    }

    fn unary(v: f64, a: &Self, f: f64) -> Self {
        let mut d = a.d;
        for x in &mut d {
            *x *= f;
        }
        Self { v, d }
    }
}

impl Add for Dual {
    type Output = Self;
    fn add(self, o: Self) -> Self {
        Self::chain(self.v + o.v, &self, 1.0, &o, 1.0)
    }
}

impl Sub for Dual {
    type Output = Self;
    fn sub(self, o: Self) -> Self {
        Self::chain(self.v - o.v, &self, 1.0, &o, -1.0)
    }
}

impl Mul for Dual {
    type Output = Self;
    fn mul(self, o: Self) -> Self {
        Self::chain(self.v * o.v, &self, o.v, &o, self.v)
    }
}

impl Neg for Dual {
    type Output = Self;
    fn neg(self) -> Self {
        Self::unary(-self.v, &self, -1.0)
    }
}

impl Add<f64> for Dual {
    type Output = Self;
    fn add(mut self, c: f64) -> Self {
        self.v += c;
        self
    }
}

impl Mul<f64> for Dual {
    type Output = Self;
    fn mul(self, c: f64) -> Self {
        Self::unary(self.v * c, &self, c)
    }
}

impl Real for Dual {
    fn value(self) -> f64 {
        self.v
    }
    fn constant(v: f64) -> Self {
        Self { v, d: [0.0; N] }
    }
    fn exp(self) -> Self {
        let e = self.v.exp();
        Self::unary(e, &self, e)
    }
    fn ln(self) -> Self {
        Self::unary(self.v.ln(), &self, 1.0 / self.v)
    }
    fn recip(self) -> Self {
        let r = 1.0 / self.v;
        Self::unary(r, &self, -r * r)
    }
    fn powr(self, e: Self) -> Self {
        let ln = self.v.ln();
        let v = (ln * e.v).exp();
        Self::chain(v, &self, v * e.v / self.v, &e, v * ln)
    }
}

/// `x` clamped to `[lo, hi]`: outside, a constant (no gradient); on the boundary or inside,
/// `x` itself.
pub fn clamp<T: Real>(x: T, lo: f64, hi: f64) -> T {
    let v = x.value();
    if v < lo {
        T::constant(lo)
    } else if v > hi {
        T::constant(hi)
    } else {
        x
    }
}

/// A card's memory: stability (days to 90 % recall) and difficulty (1-10).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct State<T> {
    pub s: T,
    pub d: T,
}

/// The parameters and the quantities every step shares, computed once per set.
#[derive(Debug, Clone, Copy)]
pub struct Model<T> {
    pub w: [T; N],
    decay: T,
    factor: T,
    exp_w8: T,
    /// The unclamped initial difficulty of Easy, the target of mean reversion.
    easy_d: T,
    /// `exp(w17 * w18)`: a lapse never leaves more than `S / this`.
    lapse_cap: T,
}

impl Model<f64> {
    pub fn new(w: &[f64; N]) -> Self {
        Self::from_weights(*w)
    }
}

impl Model<Dual> {
    /// The model whose every quantity carries its derivatives with respect to `w`.
    pub fn with_gradients(w: &[f64; N]) -> Self {
        Self::from_weights(std::array::from_fn(|i| Dual::variable(w[i], i)))
    }
}

impl<T: Real> Model<T> {
    fn from_weights(w: [T; N]) -> Self {
        let decay = -w[20];
        // factor = 0.9^(1 / decay) - 1, so that R(S, S) = 0.9.
        let factor = (decay.recip() * 0.9f64.ln()).exp() + -1.0;
        let easy_d = w[4] - (w[5] * 3.0).exp() + 1.0;
        Self {
            decay,
            factor,
            exp_w8: w[8].exp(),
            easy_d,
            lapse_cap: (w[17] * w[18]).exp(),
            w,
        }
    }

    /// Probability of recall `days` after the last review, for stability `s`.
    pub fn retrievability(&self, days: f64, s: T) -> T {
        (self.factor * s.recip() * days.max(0.0) + 1.0).powr(self.decay)
    }

    /// The state after the first review, rated `rating` (1-4).
    pub fn first(&self, rating: u8) -> State<T> {
        let r = usize::from(rating.clamp(1, 4));
        State {
            s: clamp(self.w[r - 1], S_MIN, S_MAX),
            d: clamp(self.init_difficulty(r), D_MIN, D_MAX),
        }
    }

    fn init_difficulty(&self, rating: usize) -> T {
        self.w[4] - (self.w[5] * (rating as f64 - 1.0)).exp() + 1.0
    }

    /// The state after a review rated `rating` `days` days after the previous one (0: the
    /// same day, the short-term formula).
    pub fn step(&self, state: State<T>, days: u32, rating: u8) -> State<T> {
        let w = &self.w;
        let s = clamp(state.s, S_MIN, S_MAX);
        let d = clamp(state.d, D_MIN, D_MAX);
        let g = f64::from(rating);
        let ln_s = s.ln();
        let new_s = if days == 0 {
            let sinc = (w[17] * (w[18] + (g - 3.0)) - w[19] * ln_s).exp();
            let sinc = if rating >= 2 && sinc.value() < 1.0 {
                T::constant(1.0)
            } else {
                sinc
            };
            s * sinc
        } else {
            let r = self.retrievability(f64::from(days), s);
            if rating == 1 {
                let long = w[11]
                    * d.powr(-w[12])
                    * ((s + 1.0).powr(w[13]) + -1.0)
                    * ((-r + 1.0) * w[14]).exp();
                let cap = s * self.lapse_cap.recip();
                if cap.value() < long.value() {
                    cap
                } else {
                    long
                }
            } else {
                let mut inc = self.exp_w8
                    * (-d + 11.0)
                    * (-w[9] * ln_s).exp()
                    * (((-r + 1.0) * w[10]).exp() + -1.0);
                if rating == 2 {
                    inc = inc * w[15];
                } else if rating == 4 {
                    inc = inc * w[16];
                }
                s * (inc + 1.0)
            }
        };
        let delta = -w[6] * (g - 3.0);
        let next_d = d + (-d + 10.0) * delta * (1.0 / 9.0);
        let reverted = w[7] * (self.easy_d - next_d) + next_d;
        State {
            s: clamp(new_s, S_MIN, S_MAX),
            d: clamp(reverted, D_MIN, D_MAX),
        }
    }

    /// The state after each review of a sequence `(rating, days since the previous)`, the
    /// first review's days ignored. `None` for an empty sequence.
    pub fn replay(&self, reviews: &[(u8, u32)]) -> Option<State<T>> {
        let (first, rest) = reviews.split_first()?;
        Some(
            rest.iter()
                .fold(self.first(first.0), |st, &(rating, days)| {
                    self.step(st, days, rating)
                }),
        )
    }
}

/// Binary cross-entropy of predicting `p` for outcome `recalled`, with `p` kept in
/// `[P_MIN, 1 - P_MIN]`; and its derivative with respect to `p` (0 where the bound holds).
pub fn bce(p: f64, recalled: bool) -> (f64, f64) {
    let q = p.clamp(P_MIN, 1.0 - P_MIN);
    let inside = p > P_MIN && p < 1.0 - P_MIN;
    if recalled {
        (-q.ln(), if inside { -1.0 / q } else { 0.0 })
    } else {
        (-(1.0 - q).ln(), if inside { 1.0 / (1.0 - q) } else { 0.0 })
    }
}

#[cfg(test)]
// Exact values are intended: a clamp passes 1 exactly, a saturated loss has slope 0.
#[allow(clippy::float_cmp)]
mod tests {
    use super::*;
    use crate::schedule::fsrs::{DEFAULT_PARAMETERS, Fsrs, Variant};
    use crate::schedule::{Memory, Rating};

    /// A card history exercising every branch: first review, same-day Again and Good,
    /// long-term Again (both sides of the lapse cap), Hard, Good, Easy.
    const HISTORY: [(u8, u32); 9] = [
        (3, 0),
        (1, 0),
        (3, 0),
        (3, 2),
        (2, 5),
        (1, 30),
        (3, 0),
        (4, 3),
        (3, 12),
    ];

    /// Loss of predicting the last review of HISTORY (and two earlier ones) from the rest.
    fn loss<T: Real>(model: &Model<T>) -> T {
        let mut total = T::constant(0.0);
        let mut state = model.first(HISTORY[0].0);
        for &(rating, days) in &HISTORY[1..] {
            if days > 0 {
                let p = model.retrievability(f64::from(days), state.s);
                // -ln p or -ln(1 - p), written with the model's own arithmetic.
                total = total
                    + if rating > 1 {
                        -p.ln()
                    } else {
                        -(-p + 1.0).ln()
                    };
            }
            state = model.step(state, days, rating);
        }
        total
    }

    #[test]
    fn gradients_match_finite_differences() {
        // Parameters away from every clamp, so the loss is smooth around them.
        let mut w = DEFAULT_PARAMETERS;
        w[7] = 0.05;
        w[9] = 0.2;
        let exact = loss(&Model::with_gradients(&w));
        assert!(
            (exact.v - loss(&Model::new(&w))).abs() < 1e-12,
            "values agree"
        );
        for i in 0..N {
            let h = 1e-6 * w[i].abs().max(1e-2);
            let mut up = w;
            up[i] += h;
            let mut down = w;
            down[i] -= h;
            let numeric = (loss(&Model::new(&up)) - loss(&Model::new(&down))) / (2.0 * h);
            let tolerance = 1e-5 * numeric.abs().max(1e-2);
            assert!(
                (exact.d[i] - numeric).abs() <= tolerance,
                "w[{i}]: forward mode {} vs finite differences {numeric}",
                exact.d[i]
            );
        }
    }

    #[test]
    fn some_parameters_matter_for_this_history() {
        // Guards the test above against a loss that ignores the parameters.
        let exact = loss(&Model::with_gradients(&DEFAULT_PARAMETERS));
        for i in [2, 4, 8, 11, 17, 20] {
            assert!(exact.d[i].abs() > 1e-6, "w[{i}] has no effect");
        }
    }

    #[test]
    fn model_agrees_with_the_scheduler_memory_model() {
        let fsrs = Fsrs::with_variant(Variant::FsrsRs);
        let model = Model::new(&DEFAULT_PARAMETERS);
        let mut memory: Option<Memory> = None;
        for i in 0..HISTORY.len() {
            let (rating, days) = HISTORY[i];
            let rating_enum = Rating::from_number(i64::from(rating)).unwrap();
            memory = Some(fsrs.next_memory(memory, f64::from(days), rating_enum));
            let state = model.replay(&HISTORY[..=i]).unwrap();
            let m = memory.unwrap();
            assert!((state.s - m.stability).abs() < 1e-9 * m.stability, "{i}");
            assert!((state.d - m.difficulty).abs() < 1e-9, "{i}");
        }
        assert!(
            (model.retrievability(7.0, 7.0) - fsrs.retrievability_after(7.0, 7.0)).abs() < 1e-12
        );
    }

    #[test]
    fn clamp_stops_gradients_only_outside() {
        let x = Dual::variable(0.5, 3);
        assert_eq!(clamp(x, 0.0, 1.0).d[3], 1.0);
        assert_eq!(clamp(x, 0.5, 1.0).d[3], 1.0);
        assert_eq!(clamp(x, 0.6, 1.0), Dual::constant(0.6));
    }

    #[test]
    fn bce_is_the_log_loss_and_its_slope() {
        let (l, g) = bce(0.8, true);
        assert!((l - -(0.8f64.ln())).abs() < 1e-15 && (g + 1.25).abs() < 1e-12);
        let (l, g) = bce(0.8, false);
        assert!((l - -(0.2f64.ln())).abs() < 1e-12 && (g - 5.0).abs() < 1e-9);
        assert_eq!(bce(1.0, true).1, 0.0);
        assert!(bce(0.0, true).0.is_finite());
    }
}
