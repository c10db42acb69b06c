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
set title "test top-1 vs parameters: frontier (11 configs, 11 finished runs)"
set xlabel "parameters, log scale"
set ylabel "test top-1 (%): one seed per config"
set lmargin at screen 0.08
set rmargin at screen 0.62
set bmargin at screen 0.11
set tmargin at screen 0.91
set grid lc rgb '#dddddd'
set logscale x
set xrange [185573.3322:2117918.166]
set xtics ("200k" 200000, "500k" 500000, "1M" 1000000, "2M" 2000000)
unset mxtics
set yrange [87.8:92.14]
set key at screen 0.65,0.91 left top Left reverse samplen 2 spacing 1.2 font ',10'
# config numbers, placed by espbench so that none overlaps another (screen coordinates)
set label "1" at screen 0.14298,0.31461 center font ',9' tc rgb '#0072B2' front
set arrow from screen 0.12275,0.31461 to screen 0.13820,0.31461 nohead lw 0.8 lc rgb '#888888' back
set label "2" at screen 0.37910,0.61323 center font ',9' tc rgb '#0072B2' front
set arrow from screen 0.35887,0.61323 to screen 0.37433,0.61323 nohead lw 0.8 lc rgb '#888888' back
set label "3" at screen 0.52317,0.68696 center font ',9' tc rgb '#0072B2' front
set label "4" at screen 0.13339,0.20217 center font ',9' tc rgb '#D55E00' front
set arrow from screen 0.11316,0.20217 to screen 0.12861,0.20217 nohead lw 0.8 lc rgb '#888888' back
set label "5" at screen 0.42252,0.61138 center font ',9' tc rgb '#D55E00' front
set label "6" at screen 0.60707,0.81783 center font ',9' tc rgb '#D55E00' front
set arrow from screen 0.58684,0.81783 to screen 0.60230,0.81783 nohead lw 0.8 lc rgb '#888888' back
set label "7" at screen 0.26713,0.51553 center font ',9' tc rgb '#009E73' front
set label "8" at screen 0.38656,0.57267 center font ',9' tc rgb '#009E73' front
set label "9" at screen 0.53507,0.63350 center font ',9' tc rgb '#009E73' front
set label "10" at screen 0.16286,0.58005 center font ',9' tc rgb '#CC79A7' front
set arrow from screen 0.13968,0.58005 to screen 0.15513,0.58005 nohead lw 0.8 lc rgb '#888888' back
set label "11" at screen 0.45724,0.74779 center font ',9' tc rgb '#CC79A7' front
set arrow from screen 0.43406,0.74779 to screen 0.44951,0.74779 nohead lw 0.8 lc rgb '#888888' back
set label 'no.  config' at screen 0.65000,0.75714 left font ',9' front
set label "  1  espnetv2 scale=0.5" at screen 0.65000,0.73714 left font ',9' tc rgb '#0072B2' front
set label "  2  espnetv2 scale=1" at screen 0.65000,0.71714 left font ',9' tc rgb '#0072B2' front
set label "  3  espnetv2 scale=1.5" at screen 0.65000,0.69714 left font ',9' tc rgb '#0072B2' front
set label "  4  mobilenet_v1 width=0.25" at screen 0.65000,0.67714 left font ',9' tc rgb '#D55E00' front
set label "  5  mobilenet_v1 width=0.5" at screen 0.65000,0.65714 left font ',9' tc rgb '#D55E00' front
set label "  6  mobilenet_v1 width=0.75" at screen 0.65000,0.63714 left font ',9' tc rgb '#D55E00' front
set label "  7  mobilenet_v2 width=0.35" at screen 0.65000,0.61714 left font ',9' tc rgb '#009E73' front
set label "  8  mobilenet_v2 width=0.5" at screen 0.65000,0.59714 left font ',9' tc rgb '#009E73' front
set label "  9  mobilenet_v2 width=0.75" at screen 0.65000,0.57714 left font ',9' tc rgb '#009E73' front
set label " 10  shufflenet_v1 width=0.5" at screen 0.65000,0.55714 left font ',9' tc rgb '#CC79A7' front
set label " 11  shufflenet_v1 width=1" at screen 0.65000,0.53714 left font ',9' tc rgb '#CC79A7' front
plot 'acc_vs_params.dat' index 0 using ($1*$8):4:($2*$8):($3*$8):5:6 with xyerrorlines lw 1.5 pt 7 ps 0.9 lc rgb '#0072B2' dt 1 notitle, \
     'acc_vs_params.dat' index 1 using ($1*$8):4:($2*$8):($3*$8):5:6 with xyerrorlines lw 1.5 pt 7 ps 0.9 lc rgb '#D55E00' dt 1 notitle, \
     'acc_vs_params.dat' index 2 using ($1*$8):4:($2*$8):($3*$8):5:6 with xyerrorlines lw 1.5 pt 7 ps 0.9 lc rgb '#009E73' dt 1 notitle, \
     'acc_vs_params.dat' index 3 using ($1*$8):4:($2*$8):($3*$8):5:6 with xyerrorlines lw 1.5 pt 7 ps 0.9 lc rgb '#CC79A7' dt 1 notitle, \
     'acc_vs_params.dat' index 4 using ($1*$4):2 with lines dt 2 lw 1.5 lc rgb '#000000' notitle, \
     'acc_vs_params.dat' index 4 using ($1*$4):2 with points pt 6 ps 2.2 lc rgb '#000000' notitle, \
     NaN with linespoints lw 1.5 pt 7 lc rgb '#0072B2' dt 1 title "espnetv2", \
     NaN with linespoints lw 1.5 pt 7 lc rgb '#D55E00' dt 1 title "mobilenet_v1", \
     NaN with linespoints lw 1.5 pt 7 lc rgb '#009E73' dt 1 title "mobilenet_v2", \
     NaN with linespoints lw 1.5 pt 7 lc rgb '#CC79A7' dt 1 title "shufflenet_v1", \
     NaN with linespoints dt 2 lw 1.5 pt 6 ps 1.5 lc rgb '#000000' title 'Pareto front'
