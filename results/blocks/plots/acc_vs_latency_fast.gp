# Written by `espbench plot` from the sweep's report.json files; restyle freely, then re-render in
# this folder:  gnuplot acc_vs_latency_fast.gp  (SVG)   or   gnuplot -e "fmt='png'" acc_vs_latency_fast.gp  (PNG)
if (!exists("fmt")) fmt = 'svg'
if (fmt eq 'png') {
  set terminal pngcairo noenhanced size 1100,700 font ',10'
  set output 'acc_vs_latency_fast.png'
} else {
  set terminal svg noenhanced size 1100,700 dynamic font ',10'
  set output 'acc_vs_latency_fast.svg'
}
set title "test top-1 vs measured latency (--fast): blocks (3 configs, 9 finished runs) on AMD EPYC"
set xlabel "latency p50 (ms), --fast: 1 thread, batch 1, input 1x1x28x28 (log scale)"
set ylabel "test top-1 (%): mean of 3 seeds, bars: lowest to highest seed"
set lmargin at screen 0.08
set rmargin at screen 0.62
set bmargin at screen 0.11
set tmargin at screen 0.91
set grid lc rgb '#dddddd'
set logscale x
set xrange [0.4916002163:4.153201145]
set xtics ("0.5" 0.5, "1" 1, "2" 2, "4" 4)
unset mxtics
set yrange [90.41:92.14]
set key at screen 0.65,0.91 left top Left reverse samplen 2 spacing 1.2 font ',10'
# config numbers, placed by espbench so that none overlaps another (screen coordinates)
set label "1" at screen 0.15654,0.67435 center font ',9' tc rgb '#0072B2' front
set arrow from screen 0.14880,0.64333 to screen 0.15177,0.66506 nohead lw 0.8 lc rgb '#888888' back
set label "2" at screen 0.46988,0.44362 center font ',9' tc rgb '#D55E00' front
set label "3" at screen 0.58886,0.44362 center font ',9' tc rgb '#009E73' front
set label 'no.  config' at screen 0.65000,0.78143 left font ',9' front
set label "  1  block=eesp" at screen 0.65000,0.76143 left font ',9' tc rgb '#0072B2' front
set label "  2  block=eesp_a" at screen 0.65000,0.74143 left font ',9' tc rgb '#D55E00' front
set label "  3  block=esp dilations=r_lim" at screen 0.65000,0.72143 left font ',9' tc rgb '#009E73' front
plot 'acc_vs_latency_fast.dat' index 0 using ($1*$8):4:($2*$8):($3*$8):5:6 with xyerrorlines lw 1.5 pt 7 ps 0.9 lc rgb '#0072B2' dt 1 notitle, \
     'acc_vs_latency_fast.dat' index 1 using ($1*$8):4:($2*$8):($3*$8):5:6 with xyerrorlines lw 1.5 pt 7 ps 0.9 lc rgb '#D55E00' dt 1 notitle, \
     'acc_vs_latency_fast.dat' index 2 using ($1*$8):4:($2*$8):($3*$8):5:6 with xyerrorlines lw 1.5 pt 7 ps 0.9 lc rgb '#009E73' dt 1 notitle, \
     'acc_vs_latency_fast.dat' index 3 using ($1*$4):2 with lines dt 2 lw 1.5 lc rgb '#000000' notitle, \
     'acc_vs_latency_fast.dat' index 3 using ($1*$4):2 with points pt 6 ps 2.2 lc rgb '#000000' notitle, \
     NaN with linespoints lw 1.5 pt 7 lc rgb '#0072B2' dt 1 title "block=eesp", \
     NaN with linespoints lw 1.5 pt 7 lc rgb '#D55E00' dt 1 title "block=eesp_a", \
     NaN with linespoints lw 1.5 pt 7 lc rgb '#009E73' dt 1 title "block=esp dilations=r_lim", \
     NaN with linespoints dt 2 lw 1.5 pt 6 ps 1.5 lc rgb '#000000' title 'Pareto front'
