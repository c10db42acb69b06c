# Written by `espbench plot` from the sweep's report.json files; restyle freely, then re-render in
# this folder:  gnuplot acc_vs_params.gp  (SVG)   or   gnuplot -e "fmt='png'" acc_vs_params.gp  (PNG)
if (!exists("fmt")) fmt = 'svg'
if (fmt eq 'png') {
  set terminal pngcairo noenhanced size 1100,700 font ',10'
  set output 'acc_vs_params.png'
} else {
  set terminal svg noenhanced size 1100,700 dynamic font ',10'
  set output 'acc_vs_params.svg'
}
set title "test top-1 vs parameters: schedules (3 configs, 9 finished runs)"
set xlabel "parameters, log scale"
set ylabel "test top-1 (%): mean of 3 seeds, bars: lowest to highest seed"
set lmargin at screen 0.08
set rmargin at screen 0.62
set bmargin at screen 0.11
set tmargin at screen 0.91
set grid lc rgb '#dddddd'
set logscale x
set xrange [582601.7857:730815.68]
set xtics ("600k" 600000, "700k" 700000)
unset mxtics
set yrange [89.65:92.14]
set key at screen 0.65,0.91 left top Left reverse samplen 2 spacing 1.2 font ',10'
# config numbers, placed by espbench so that none overlaps another (screen coordinates)
set label "1" at screen 0.35386,0.58229 center font ',9' tc rgb '#0072B2' front
set label "2" at screen 0.37023,0.72473 center font ',9' tc rgb '#D55E00' front
set arrow from screen 0.35000,0.72473 to screen 0.36545,0.72473 nohead lw 0.8 lc rgb '#888888' back
set label "3" at screen 0.37023,0.34561 center font ',9' tc rgb '#009E73' front
set label 'no.  config' at screen 0.65000,0.78143 left font ',9' front
set label "  1  schedule=cosine" at screen 0.65000,0.76143 left font ',9' tc rgb '#0072B2' front
set label "  2  schedule=cyclic" at screen 0.65000,0.74143 left font ',9' tc rgb '#D55E00' front
set label "  3  schedule=step" at screen 0.65000,0.72143 left font ',9' tc rgb '#009E73' front
plot 'acc_vs_params.dat' index 0 using ($1*$8):4:($2*$8):($3*$8):5:6 with xyerrorlines lw 1.5 pt 7 ps 0.9 lc rgb '#0072B2' dt 1 notitle, \
     'acc_vs_params.dat' index 1 using ($1*$8):4:($2*$8):($3*$8):5:6 with xyerrorlines lw 1.5 pt 7 ps 0.9 lc rgb '#D55E00' dt 1 notitle, \
     'acc_vs_params.dat' index 2 using ($1*$8):4:($2*$8):($3*$8):5:6 with xyerrorlines lw 1.5 pt 7 ps 0.9 lc rgb '#009E73' dt 1 notitle, \
     'acc_vs_params.dat' index 3 using ($1*$4):2 with lines dt 2 lw 1.5 lc rgb '#000000' notitle, \
     'acc_vs_params.dat' index 3 using ($1*$4):2 with points pt 6 ps 2.2 lc rgb '#000000' notitle, \
     NaN with linespoints lw 1.5 pt 7 lc rgb '#0072B2' dt 1 title "schedule=cosine", \
     NaN with linespoints lw 1.5 pt 7 lc rgb '#D55E00' dt 1 title "schedule=cyclic", \
     NaN with linespoints lw 1.5 pt 7 lc rgb '#009E73' dt 1 title "schedule=step", \
     NaN with linespoints dt 2 lw 1.5 pt 6 ps 1.5 lc rgb '#000000' title 'Pareto front'
