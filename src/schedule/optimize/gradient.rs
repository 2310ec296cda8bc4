//! The training loss of a card and its gradient, fast: the derivatives of stability and
//! difficulty with respect to the 21 parameters are carried along the card's reviews
//! (forward accumulation), each step combining them with the step's own partial derivatives,
//! written out by hand. About ten times fewer operations than the generic `Dual` model, which
//! the tests use as the reference (itself checked against finite differences).

// s, d, r, w: the names of the FSRS papers and the reference code.
#![allow(clippy::many_single_char_names)]
// One formula per step reads best as one function, as the reference writes it.
#![allow(clippy::too_many_lines)]

use super::model::{N, bce};
use crate::schedule::fsrs::{D_MAX, D_MIN, S_MAX, S_MIN};

/// The parameters difficulty depends on (initial difficulty w4, w5; updates w6, w7).
const D_PARAMS: std::ops::Range<usize> = 4..8;

/// The parameters and what every step shares.
#[derive(Debug, Clone, Copy)]
pub struct Prepared {
    w: [f64; N],
    decay: f64,
    factor: f64,
    /// d factor / d decay.
    dfactor: f64,
    exp_w8: f64,
    easy_d: f64,
    /// d easy_d / d w5.
    deasy_w5: f64,
    lapse_cap: f64,
}

impl Prepared {
    pub fn new(w: &[f64; N]) -> Self {
        let decay = -w[20];
        let base = 0.9f64.powf(1.0 / decay);
        Self {
            w: *w,
            decay,
            factor: base - 1.0,
            dfactor: base * 0.9f64.ln() * (-1.0 / (decay * decay)),
            exp_w8: w[8].exp(),
            easy_d: w[4] - (3.0 * w[5]).exp() + 1.0,
            deasy_w5: -3.0 * (3.0 * w[5]).exp(),
            lapse_cap: (w[17] * w[18]).exp(),
        }
    }
}

/// One prediction: at which review of the sequence, the outcome, its weight.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Target {
    pub index: usize,
    pub recalled: bool,
    pub weight: f64,
}

/// A value with its derivatives, kept to `[lo, hi]`: outside, the bound, with no gradient.
fn clamp_into(value: f64, grad: &mut [f64; N], lo: f64, hi: f64) -> f64 {
    if value < lo || value > hi {
        *grad = [0.0; N];
        value.clamp(lo, hi)
    } else {
        value
    }
}

/// Adds the weighted losses of `targets` (sorted by index) over `sequence` (`(rating,
/// delta_t)` per review) to the returned sum, and their gradient to `grad`.
pub fn card_loss(
    p: &Prepared,
    sequence: &[(u8, u32)],
    targets: &[Target],
    grad: &mut [f64; N],
) -> f64 {
    let w = &p.w;
    let Some(&(first, _)) = sequence.first() else {
        return 0.0;
    };
    let (mut ds, mut dd) = ([0.0; N], [0.0; N]);
    let r0 = usize::from(first.clamp(1, 4)) - 1;
    ds[r0] = 1.0;
    let mut s = clamp_into(w[r0], &mut ds, S_MIN, S_MAX);
    let x = (w[5] * r0 as f64).exp();
    dd[4] = 1.0;
    dd[5] = -(r0 as f64) * x;
    let mut d = clamp_into(w[4] - x + 1.0, &mut dd, D_MIN, D_MAX);

    let mut loss = 0.0;
    let mut next = targets.iter().peekable();
    let last = targets.last().map_or(0, |t| t.index);
    for (i, &(rating, days)) in sequence.iter().enumerate().take(last + 1).skip(1) {
        let g = f64::from(rating);
        // Retrievability and its partial derivatives (w20 through decay and factor).
        let (r, r_s, r_w20) = if days > 0 {
            let t = f64::from(days);
            let base = 1.0 + p.factor * t / s;
            let ln_base = base.ln();
            let r = (p.decay * ln_base).exp();
            let r_s = r * p.decay / base * (-p.factor * t / (s * s));
            let r_decay = r * (ln_base + p.decay / base * t / s * p.dfactor);
            (r, r_s, -r_decay)
        } else {
            (1.0, 0.0, 0.0)
        };
        if let Some(target) = next.next_if(|t| t.index == i) {
            let (l, dl) = bce(r, target.recalled);
            loss += target.weight * l;
            let scale = target.weight * dl;
            for (gk, dk) in grad.iter_mut().zip(&ds) {
                *gk += scale * r_s * dk;
            }
            grad[20] += scale * r_w20;
        }

        // New stability: f(s, d, R(s), w). fs, fd: total derivatives by s and d; sparse: by
        // parameters directly.
        let mut sparse = [(0usize, 0.0f64); 5];
        let mut n_sparse = 0;
        let mut push = |k: usize, v: f64| {
            sparse[n_sparse] = (k, v);
            n_sparse += 1;
        };
        let (new_s, fs, fd) = if days == 0 {
            let ln_s = s.ln();
            let sinc = (w[17] * (g - 3.0 + w[18]) - w[19] * ln_s).exp();
            if rating >= 2 && sinc < 1.0 {
                (s, 1.0, 0.0)
            } else {
                let new_s = s * sinc;
                push(17, new_s * (g - 3.0 + w[18]));
                push(18, new_s * w[17]);
                push(19, -new_s * ln_s);
                (new_s, sinc * (1.0 - w[19]), 0.0)
            }
        } else if rating == 1 {
            let ln_d = d.ln();
            let d_pow = (-w[12] * ln_d).exp();
            let a = w[11] * d_pow;
            let ln_s1 = (s + 1.0).ln();
            let s1 = (w[13] * ln_s1).exp();
            let b = s1 - 1.0;
            let e = ((1.0 - r) * w[14]).exp();
            let long = a * b * e;
            let cap = s / p.lapse_cap;
            if cap < long {
                push(17, -cap * w[18]);
                push(18, -cap * w[17]);
                (cap, 1.0 / p.lapse_cap, 0.0)
            } else {
                let long_r = -w[14] * long;
                push(11, d_pow * b * e);
                push(12, -ln_d * long);
                push(13, a * e * s1 * ln_s1);
                push(14, (1.0 - r) * long);
                push(20, long_r * r_w20);
                let direct = a * e * w[13] * s1 / (s + 1.0);
                (long, direct + long_r * r_s, -w[12] / d * long)
            }
        } else {
            let hp = if rating == 2 { w[15] } else { 1.0 };
            let eb = if rating == 4 { w[16] } else { 1.0 };
            let ln_s = s.ln();
            let pw = (-w[9] * ln_s).exp();
            let q = ((1.0 - r) * w[10]).exp();
            let core = p.exp_w8 * (11.0 - d) * pw;
            let inc = core * (q - 1.0) * hp * eb;
            let new_s = s * (1.0 + inc);
            let inc_r = s * core * hp * eb * q * -w[10];
            push(8, s * inc);
            push(9, -s * inc * ln_s);
            push(10, s * core * hp * eb * q * (1.0 - r));
            if rating == 2 {
                push(15, s * core * (q - 1.0) * eb);
            } else if rating == 4 {
                push(16, s * core * (q - 1.0) * hp);
            }
            push(20, inc_r * r_w20);
            let fd = -s * p.exp_w8 * pw * (q - 1.0) * hp * eb;
            (new_s, 1.0 + inc * (1.0 - w[9]) + inc_r * r_s, fd)
        };

        // New difficulty: mean reversion of the rating's step toward Easy's initial value.
        let delta = -w[6] * (g - 3.0);
        let nd = d + (10.0 - d) * delta / 9.0;
        let new_d = w[7] * (p.easy_d - nd) + nd;
        let md = (1.0 - w[7]) * (1.0 - delta / 9.0);

        // Difficulty depends on w4-w7 only, so only those entries of dd are ever non-zero.
        for sk in &mut ds {
            *sk *= fs;
        }
        for k in D_PARAMS {
            ds[k] += fd * dd[k];
            dd[k] *= md;
        }
        for &(k, v) in &sparse[..n_sparse] {
            ds[k] += v;
        }
        dd[6] += (1.0 - w[7]) * (10.0 - d) * -(g - 3.0) / 9.0;
        dd[7] += p.easy_d - nd;
        dd[4] += w[7];
        dd[5] += w[7] * p.deasy_w5;
        s = clamp_into(new_s, &mut ds, S_MIN, S_MAX);
        d = clamp_into(new_d, &mut dd, D_MIN, D_MAX);
    }
    loss
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::schedule::fsrs::DEFAULT_PARAMETERS;
    use crate::schedule::optimize::model::{Dual, Model, Real};

    /// The same loss through the generic model with `Dual` numbers.
    fn reference(w: &[f64; N], sequence: &[(u8, u32)], targets: &[Target]) -> Dual {
        let model = Model::with_gradients(w);
        let mut state = model.first(sequence[0].0);
        let mut total = Dual::constant(0.0);
        for (i, &(rating, days)) in sequence.iter().enumerate().skip(1) {
            if let Some(t) = targets.iter().find(|t| t.index == i) {
                let p = model.retrievability(f64::from(days), state.s);
                let (l, dl) = bce(p.v, t.recalled);
                let mut term = p * (t.weight * dl);
                term.v = t.weight * l;
                total = total + term;
            }
            state = model.step(state, days, rating);
        }
        total
    }

    #[track_caller]
    fn case(w: &[f64; N], sequence: &[(u8, u32)]) {
        let targets: Vec<Target> = sequence
            .iter()
            .enumerate()
            .skip(1)
            .filter(|(_, r)| r.1 > 0)
            .map(|(i, r)| Target {
                index: i,
                recalled: r.0 > 1,
                weight: 0.5 + i as f64 / 10.0,
            })
            .collect();
        let want = reference(w, sequence, &targets);
        let mut grad = [0.0; N];
        let loss = card_loss(&Prepared::new(w), sequence, &targets, &mut grad);
        assert!(
            (loss - want.v).abs() < 1e-9 * want.v.abs().max(1.0),
            "{loss} vs {}",
            want.v
        );
        for (k, (got, want)) in grad.iter().zip(&want.d).enumerate() {
            assert!(
                (got - want).abs() <= 1e-7 * want.abs().max(1e-3),
                "w[{k}]: {got} vs {want} for {sequence:?}"
            );
        }
    }

    #[test]
    fn matches_the_dual_number_model() {
        let mut w = DEFAULT_PARAMETERS;
        w[7] = 0.05;
        w[9] = 0.2;
        let histories: [&[(u8, u32)]; 5] = [
            &[
                (3, 0),
                (1, 0),
                (3, 0),
                (3, 2),
                (2, 5),
                (1, 30),
                (3, 0),
                (4, 3),
                (3, 12),
            ],
            &[
                (1, 0),
                (1, 0),
                (3, 0),
                (3, 1),
                (3, 3),
                (1, 9),
                (1, 0),
                (3, 1),
            ],
            &[(4, 0), (3, 8), (4, 20), (2, 60), (1, 200), (3, 1)],
            &[(2, 0), (3, 0), (2, 1), (2, 1), (4, 2)],
            // A long string of Easy pushes stability and difficulty into their bounds.
            &[
                (4, 0),
                (4, 30),
                (4, 200),
                (4, 2000),
                (4, 9000),
                (4, 30000),
                (1, 40000),
            ],
        ];
        for h in histories {
            case(&w, h);
            case(&DEFAULT_PARAMETERS, h);
        }
    }

    proptest::proptest! {
        #[test]
        fn loss_and_gradient_stay_finite_within_the_bounds(
            unit in proptest::collection::vec(0.0f64..=1.0, N),
            reviews in proptest::collection::vec((1u8..=4, 0u32..3000), 1..40),
        ) {
            let w: [f64; N] = std::array::from_fn(|i| {
                let (lo, hi) = crate::schedule::optimize::BOUNDS[i];
                lo + unit[i] * (hi - lo)
            });
            let targets: Vec<Target> = reviews
                .iter()
                .enumerate()
                .skip(1)
                .filter(|(_, r)| r.1 > 0)
                .map(|(index, r)| Target { index, recalled: r.0 > 1, weight: 1.0 })
                .collect();
            let mut grad = [0.0; N];
            let loss = card_loss(&Prepared::new(&w), &reviews, &targets, &mut grad);
            proptest::prop_assert!(loss.is_finite() && loss >= 0.0, "{loss}");
            proptest::prop_assert!(grad.iter().all(|g| g.is_finite()), "{grad:?}");
        }
    }
}
