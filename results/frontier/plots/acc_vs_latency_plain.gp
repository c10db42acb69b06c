# Written by `espbench plot` from the sweep's report.json files; restyle freely, then re-render in
# this folder:  gnuplot acc_vs_latency_plain.gp  (SVG)   or   gnuplot -e "fmt='png'" acc_vs_latency_plain.gp  (PNG)
if (!exists("fmt")) fmt = 'svg'
if (fmt eq 'png') {
  set terminal pngcairo noenhanced size 1100,700 font ',10'
  set output 'acc_vs_latency_plain.png'
} else {
  set terminal svg noenhanced size 1100,700 dynamic font ',10'
  set output 'acc_vs_latency_plain.svg'
}
set title "test top-1 vs measured latency (plain LibTorch): frontier (15 configs, 45 finished runs) on AMD EPYC"
set xlabel "latency p50 (ms), plain LibTorch: 1 thread, batch 1, input 1x1x28x28 (log scale)"
set ylabel "test top-1 (%): mean of 3 seeds, bars: lowest to highest seed"
set lmargin at screen 0.08
set rmargin at screen 0.62
set bmargin at screen 0.11
set tmargin at screen 0.91
set grid lc rgb '#dddddd'
set logscale x
set xrange [0.4250768232:6.828329759]
set xtics ("0.5" 0.5, "1" 1, "2" 2, "5" 5)
unset mxtics
set yrange [87.8:92.62]
set key at screen 0.65,0.91 left top Left reverse samplen 2 spacing 1.2 font ',10'
# config numbers, placed by espbench so that none overlaps another (screen coordinates)
set label "1" at screen 0.38180,0.32933 center font ',9' tc rgb '#0072B2' front
set label "2" at screen 0.41160,0.50471 center font ',9' tc rgb '#0072B2' front
set label "3" at screen 0.51599,0.62864 center font ',9' tc rgb '#0072B2' front
set label "4" at screen 0.14877,0.35844 center font ',9' tc rgb '#D55E00' front
set arrow from screen 0.14103,0.32743 to screen 0.14400,0.34916 nohead lw 0.8 lc rgb '#888888' back
set label "5" at screen 0.24722,0.53490 center font ',9' tc rgb '#D55E00' front
set arrow from screen 0.22700,0.53490 to screen 0.24245,0.53490 nohead lw 0.8 lc rgb '#888888' back
set label "6" at screen 0.36457,0.74814 center font ',9' tc rgb '#D55E00' front
set label "7" at screen 0.22483,0.45437 center font ',9' tc rgb '#009E73' front
set label "8" at screen 0.27125,0.53791 center font ',9' tc rgb '#009E73' front
set label "9" at screen 0.37026,0.60983 center font ',9' tc rgb '#009E73' front
set label "10" at screen 0.29642,0.55353 center font ',9' tc rgb '#CC79A7' front
set arrow from screen 0.29642,0.51996 to screen 0.29642,0.54424 nohead lw 0.8 lc rgb '#888888' back
set label "11" at screen 0.33449,0.76700 center font ',9' tc rgb '#CC79A7' front
set arrow from screen 0.34649,0.72411 to screen 0.34221,0.75772 nohead lw 0.8 lc rgb '#888888' back
set label "12" at screen 0.46289,0.79050 center font ',9' tc rgb '#CC79A7' front
set arrow from screen 0.43152,0.79050 to screen 0.45516,0.79050 nohead lw 0.8 lc rgb '#888888' back
set label "13" at screen 0.26094,0.47428 center font ',9' tc rgb '#E69F00' front
set label "14" at screen 0.33495,0.59200 center font ',9' tc rgb '#E69F00' front
set arrow from screen 0.31353,0.57916 to screen 0.32722,0.58272 nohead lw 0.8 lc rgb '#888888' back
set label "15" at screen 0.41465,0.74181 center font ',9' tc rgb '#E69F00' front
set arrow from screen 0.38329,0.74181 to screen 0.40692,0.74181 nohead lw 0.8 lc rgb '#888888' back
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
plot 'acc_vs_latency_plain.dat' index 0 using ($1*$8):4:($2*$8):($3*$8):5:6 with xyerrorlines lw 1.5 pt 7 ps 0.9 lc rgb '#0072B2' dt 1 notitle, \
     'acc_vs_latency_plain.dat' index 1 using ($1*$8):4:($2*$8):($3*$8):5:6 with xyerrorlines lw 1.5 pt 7 ps 0.9 lc rgb '#D55E00' dt 1 notitle, \
     'acc_vs_latency_plain.dat' index 2 using ($1*$8):4:($2*$8):($3*$8):5:6 with xyerrorlines lw 1.5 pt 7 ps 0.9 lc rgb '#009E73' dt 1 notitle, \
     'acc_vs_latency_plain.dat' index 3 using ($1*$8):4:($2*$8):($3*$8):5:6 with xyerrorlines lw 1.5 pt 7 ps 0.9 lc rgb '#CC79A7' dt 1 notitle, \
     'acc_vs_latency_plain.dat' index 4 using ($1*$8):4:($2*$8):($3*$8):5:6 with xyerrorlines lw 1.5 pt 7 ps 0.9 lc rgb '#E69F00' dt 1 notitle, \
     'acc_vs_latency_plain.dat' index 5 using ($1*$4):2 with lines dt 2 lw 1.5 lc rgb '#000000' notitle, \
     'acc_vs_latency_plain.dat' index 5 using ($1*$4):2 with points pt 6 ps 2.2 lc rgb '#000000' notitle, \
     NaN with linespoints lw 1.5 pt 7 lc rgb '#0072B2' dt 1 title "espnetv2", \
     NaN with linespoints lw 1.5 pt 7 lc rgb '#D55E00' dt 1 title "mobilenet_v1", \
     NaN with linespoints lw 1.5 pt 7 lc rgb '#009E73' dt 1 title "mobilenet_v2", \
     NaN with linespoints lw 1.5 pt 7 lc rgb '#CC79A7' dt 1 title "shufflenet_v1", \
     NaN with linespoints lw 1.5 pt 7 lc rgb '#E69F00' dt 1 title "shufflenet_v2", \
     NaN with linespoints dt 2 lw 1.5 pt 6 ps 1.5 lc rgb '#000000' title 'Pareto front'
