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
set title "test top-1 vs measured latency (--fast): frontier (15 configs, 45 finished runs) on AMD EPYC"
set xlabel "latency p50 (ms), --fast: 1 thread, batch 1, input 1x1x28x28 (log scale)"
set ylabel "test top-1 (%): mean of 3 seeds, bars: lowest to highest seed"
set lmargin at screen 0.08
set rmargin at screen 0.62
set bmargin at screen 0.11
set tmargin at screen 0.91
set grid lc rgb '#dddddd'
set logscale x
set xrange [0.2495257055:3.353217689]
set xtics ("0.3" 0.3, "0.5" 0.5, "1" 1, "2" 2)
unset mxtics
set yrange [87.8:92.62]
set key at screen 0.65,0.91 left top Left reverse samplen 2 spacing 1.2 font ',10'
# config numbers, placed by espbench so that none overlaps another (screen coordinates)
set label "1" at screen 0.13458,0.30862 center font ',9' tc rgb '#0072B2' front
set arrow from screen 0.11436,0.30862 to screen 0.12981,0.30862 nohead lw 0.8 lc rgb '#888888' back
set label "2" at screen 0.28688,0.51501 center font ',9' tc rgb '#0072B2' front
set arrow from screen 0.27914,0.48400 to screen 0.28210,0.50573 nohead lw 0.8 lc rgb '#888888' back
set label "3" at screen 0.38987,0.63894 center font ',9' tc rgb '#0072B2' front
set arrow from screen 0.38213,0.60793 to screen 0.38509,0.62966 nohead lw 0.8 lc rgb '#888888' back
set label "4" at screen 0.31928,0.34814 center font ',9' tc rgb '#D55E00' front
set label "5" at screen 0.35152,0.56591 center font ',9' tc rgb '#D55E00' front
set arrow from screen 0.34378,0.53490 to screen 0.34675,0.55663 nohead lw 0.8 lc rgb '#888888' back
set label "6" at screen 0.50888,0.75844 center font ',9' tc rgb '#D55E00' front
set arrow from screen 0.51662,0.72743 to screen 0.51366,0.74916 nohead lw 0.8 lc rgb '#888888' back
set label "7" at screen 0.37566,0.45437 center font ',9' tc rgb '#009E73' front
set label "8" at screen 0.40159,0.51719 center font ',9' tc rgb '#009E73' front
set label "9" at screen 0.47638,0.60983 center font ',9' tc rgb '#009E73' front
set label "10" at screen 0.41632,0.51996 center font ',9' tc rgb '#CC79A7' front
set label "11" at screen 0.47163,0.73696 center font ',9' tc rgb '#CC79A7' front
set arrow from screen 0.49305,0.72411 to screen 0.47936,0.72767 nohead lw 0.8 lc rgb '#888888' back
set label "12" at screen 0.54994,0.80335 center font ',9' tc rgb '#CC79A7' front
set arrow from screen 0.57136,0.79050 to screen 0.55767,0.79406 nohead lw 0.8 lc rgb '#888888' back
set label "13" at screen 0.41442,0.47428 center font ',9' tc rgb '#E69F00' front
set label "14" at screen 0.43953,0.55844 center font ',9' tc rgb '#E69F00' front
set label "15" at screen 0.55179,0.74181 center font ',9' tc rgb '#E69F00' front
set arrow from screen 0.52861,0.74181 to screen 0.54406,0.74181 nohead lw 0.8 lc rgb '#888888' back
set label 'no.  config' at screen 0.65000,0.73286 left font ',9' front
set label "  1  espnetv2 scale=0.5" at screen 0.65000,0.71286 left font ',9' tc rgb '#0072B2' front
set label "  2  espnetv2 scale=1" at screen 0.65000,0.69286 left font ',9' tc rgb '#0072B2' front
set label "  3  espnetv2 scale=1.5" at screen 0.65000,0.67286 left font ',9' tc rgb '#0072B2' front
set label "  4  mobilenet_v1 width=0.25" at screen 0.65000,0.65286 left font ',9' tc rgb '#D55E00' front
set label "  5  mobilenet_v1 width=0.5" at screen 0.65000,0.63286 left font ',9' tc rgb '#D55E00' front
set label "  6  mobilenet_v1 width=0.75" at screen 0.65000,0.61286 left font ',9' tc rgb '#D55E00' front
set label "  7  mobilenet_v2 width=0.35" at screen 0.65000,0.59286 left font ',9' tc rgb '#009E73' front
set label "  8  mobilenet_v2 width=0.5" at screen 0.65000,0.57286 left font ',9' tc rgb '#009E73' front
set label "  9  mobilenet_v2 width=0.75" at screen 0.65000,0.55286 left font ',9' tc rgb '#009E73' front
set label " 10  shufflenet_v1 width=0.5" at screen 0.65000,0.53286 left font ',9' tc rgb '#CC79A7' front
set label " 11  shufflenet_v1 width=1" at screen 0.65000,0.51286 left font ',9' tc rgb '#CC79A7' front
set label " 12  shufflenet_v1 width=1.5" at screen 0.65000,0.49286 left font ',9' tc rgb '#CC79A7' front
set label " 13  shufflenet_v2 width=0.5" at screen 0.65000,0.47286 left font ',9' tc rgb '#E69F00' front
set label " 14  shufflenet_v2 width=1" at screen 0.65000,0.45286 left font ',9' tc rgb '#E69F00' front
set label " 15  shufflenet_v2 width=1.5" at screen 0.65000,0.43286 left font ',9' tc rgb '#E69F00' front
plot 'acc_vs_latency_fast.dat' index 0 using ($1*$8):4:($2*$8):($3*$8):5:6 with xyerrorlines lw 1.5 pt 7 ps 0.9 lc rgb '#0072B2' dt 1 notitle, \
     'acc_vs_latency_fast.dat' index 1 using ($1*$8):4:($2*$8):($3*$8):5:6 with xyerrorlines lw 1.5 pt 7 ps 0.9 lc rgb '#D55E00' dt 1 notitle, \
     'acc_vs_latency_fast.dat' index 2 using ($1*$8):4:($2*$8):($3*$8):5:6 with xyerrorlines lw 1.5 pt 7 ps 0.9 lc rgb '#009E73' dt 1 notitle, \
     'acc_vs_latency_fast.dat' index 3 using ($1*$8):4:($2*$8):($3*$8):5:6 with xyerrorlines lw 1.5 pt 7 ps 0.9 lc rgb '#CC79A7' dt 1 notitle, \
     'acc_vs_latency_fast.dat' index 4 using ($1*$8):4:($2*$8):($3*$8):5:6 with xyerrorlines lw 1.5 pt 7 ps 0.9 lc rgb '#E69F00' dt 1 notitle, \
     'acc_vs_latency_fast.dat' index 5 using ($1*$4):2 with lines dt 2 lw 1.5 lc rgb '#000000' notitle, \
     'acc_vs_latency_fast.dat' index 5 using ($1*$4):2 with points pt 6 ps 2.2 lc rgb '#000000' notitle, \
     NaN with linespoints lw 1.5 pt 7 lc rgb '#0072B2' dt 1 title "espnetv2", \
     NaN with linespoints lw 1.5 pt 7 lc rgb '#D55E00' dt 1 title "mobilenet_v1", \
     NaN with linespoints lw 1.5 pt 7 lc rgb '#009E73' dt 1 title "mobilenet_v2", \
     NaN with linespoints lw 1.5 pt 7 lc rgb '#CC79A7' dt 1 title "shufflenet_v1", \
     NaN with linespoints lw 1.5 pt 7 lc rgb '#E69F00' dt 1 title "shufflenet_v2", \
     NaN with linespoints dt 2 lw 1.5 pt 6 ps 1.5 lc rgb '#000000' title 'Pareto front'
