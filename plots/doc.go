// Package plots draws funnelsim's planning charts with gonum/plot: the fan
// chart of revenue booked week by week, the histogram of the quarter's
// revenue, the funnel's volume by stage (a baseline against a scenario),
// the scenarios' paired differences from the baseline, and a sweep's
// curve. Each chart is a function from results to a *plot.Plot; Save
// writes one as PNG, SVG or PDF by the file's extension.
//
// The charts are made to be put in front of a meeting and printed: titles
// say what the chart answers, axes are labelled, money reads 1.2M or 850k
// in the model's currency, and the colours (Okabe and Ito's palette, with
// bands of different lightness and dashed reference lines) survive
// grayscale printing and colour blindness.
package plots
