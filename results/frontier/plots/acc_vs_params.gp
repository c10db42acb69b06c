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
set title "test top-1 vs parameters: frontier (3 configs, 3 finished runs)"
set xlabel "parameters, log scale"
set ylabel "test top-1 (%): one seed per config"
set lmargin at screen 0.08
set rmargin at screen 0.62
set bmargin at screen 0.11
set tmargin at screen 0.91
set grid lc rgb '#dddddd'
set logscale x
set xrange [192408.9286:730815.68]
set xtics ("200k" 200000, "300k" 300000, "500k" 500000, "700k" 700000)
unset mxtics
set yrange [87.8:91.03]
set key at screen 0.65,0.91 left top Left reverse samplen 2 spacing 1.2 font ',10'
# config numbers, placed by espbench so that none overlaps another (screen coordinates)
set label "1" at screen 0.16358,0.38492 center font ',9' tc rgb '#0072B2' front
set arrow from screen 0.14336,0.38492 to screen 0.15881,0.38492 nohead lw 0.8 lc rgb '#888888' back
set label "2" at screen 0.59437,0.78616 center font ',9' tc rgb '#0072B2' front
set arrow from screen 0.57414,0.78616 to screen 0.58960,0.78616 nohead lw 0.8 lc rgb '#888888' back
set label "3" at screen 0.14608,0.23384 center font ',9' tc rgb '#D55E00' front
set arrow from screen 0.12586,0.23384 to screen 0.14131,0.23384 nohead lw 0.8 lc rgb '#888888' back
set label 'no.  config' at screen 0.65000,0.80571 left font ',9' front
set label "  1  espnetv2 scale=0.5 lr_base=0.05" at screen 0.65000,0.78571 left font ',9' tc rgb '#0072B2' front
set label "  2  espnetv2 scale=1 lr_base=0.05" at screen 0.65000,0.76571 left font ',9' tc rgb '#0072B2' front
set label "  3  mobilenet_v1 width=0.25 lr_base=0.1" at screen 0.65000,0.74571 left font ',9' tc rgb '#D55E00' front
plot 'acc_vs_params.dat' index 0 using ($1*$8):4:($2*$8):($3*$8):5:6 with xyerrorlines lw 1.5 pt 7 ps 0.9 lc rgb '#0072B2' dt 1 notitle, \
     'acc_vs_params.dat' index 1 using ($1*$8):4:($2*$8):($3*$8):5:6 with xyerrorlines lw 1.5 pt 7 ps 0.9 lc rgb '#D55E00' dt 1 notitle, \
     'acc_vs_params.dat' index 2 using ($1*$4):2 with lines dt 2 lw 1.5 lc rgb '#000000' notitle, \
     'acc_vs_params.dat' index 2 using ($1*$4):2 with points pt 6 ps 2.2 lc rgb '#000000' notitle, \
     NaN with linespoints lw 1.5 pt 7 lc rgb '#0072B2' dt 1 title "espnetv2 lr_base=0.05", \
     NaN with linespoints lw 1.5 pt 7 lc rgb '#D55E00' dt 1 title "mobilenet_v1 lr_base=0.1", \
     NaN with linespoints dt 2 lw 1.5 pt 6 ps 1.5 lc rgb '#000000' title 'Pareto front'
