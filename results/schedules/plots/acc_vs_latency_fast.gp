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
set title "test top-1 vs measured latency (--fast): schedules (3 configs, 9 finished runs) on AMD EPYC"
set xlabel "latency p50 (ms), --fast: 1 thread, batch 1, input 1x1x28x28 (log scale)"
set ylabel "test top-1 (%): mean of 3 seeds, bars: lowest to highest seed"
set lmargin at screen 0.08
set rmargin at screen 0.62
set bmargin at screen 0.11
set tmargin at screen 0.91
set grid lc rgb '#dddddd'
set logscale x
set xrange [0.4962008929:0.64496264]
set xtics ("0.5" 0.5, "0.6" 0.6)
unset mxtics
set yrange [90.93:92.14]
set key at screen 0.65,0.91 left top Left reverse samplen 2 spacing 1.2 font ',10'
# config numbers, placed by espbench so that none overlaps another (screen coordinates)
set label "2" at screen 0.37006,0.55975 center font ',9' tc rgb '#D55E00' front
set arrow from screen 0.36232,0.52873 to screen 0.36528,0.55046 nohead lw 0.8 lc rgb '#888888' back
set label 'no.  config' at screen 0.65000,0.83000 left font ',9' front
set label "  2  schedule=cyclic" at screen 0.65000,0.81000 left font ',9' tc rgb '#D55E00' front
plot 'acc_vs_latency_fast.dat' index 0 using ($1*$8):4:($2*$8):($3*$8):5:6 with xyerrorlines lw 1.5 pt 7 ps 0.9 lc rgb '#D55E00' dt 1 notitle, \
     'acc_vs_latency_fast.dat' index 1 using ($1*$4):2 with lines dt 2 lw 1.5 lc rgb '#000000' notitle, \
     'acc_vs_latency_fast.dat' index 1 using ($1*$4):2 with points pt 6 ps 2.2 lc rgb '#000000' notitle, \
     NaN with linespoints lw 1.5 pt 7 lc rgb '#D55E00' dt 1 title "schedule=cyclic", \
     NaN with linespoints dt 2 lw 1.5 pt 6 ps 1.5 lc rgb '#000000' title 'Pareto front'
