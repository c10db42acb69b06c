# Written by `espbench plot` from the sweep's report.json files; restyle freely, then re-render in
# this folder:  gnuplot acc_vs_macs.gp  (SVG)   or   gnuplot -e "fmt='png'" acc_vs_macs.gp  (PNG)
if (!exists("fmt")) fmt = 'svg'
if (fmt eq 'png') {
  set terminal pngcairo noenhanced size 1100,700 font ',10'
  set output 'acc_vs_macs.png'
} else {
  set terminal svg noenhanced size 1100,700 dynamic font ',10'
  set output 'acc_vs_macs.svg'
}
set title "test top-1 vs MACs: lr (17 configs, 17 finished runs)"
set xlabel "MACs per image (conv + linear, at the training resolution), log scale"
set ylabel "test top-1 (%): one seed per config"
set lmargin at screen 0.08
set rmargin at screen 0.62
set bmargin at screen 0.11
set tmargin at screen 0.91
set grid lc rgb '#dddddd'
set logscale x
set xrange [5246383.036:12169041.92]
set xtics ("6M" 6000000, "7M" 7000000, "8M" 8000000, "9M" 9000000, "10M" 10000000, "12M" 12000000)
unset mxtics
set yrange [37.3116:91.2284]
set key at screen 0.65,0.91 left top Left reverse samplen 2 spacing 1.2 font ',10'
# config numbers, placed by espbench so that none overlaps another (screen coordinates)
set label "1" at screen 0.12433,0.80275 center font ',9' tc rgb '#0072B2' front
set label "2" at screen 0.16478,0.81759 center font ',9' tc rgb '#D55E00' front
set arrow from screen 0.14455,0.81759 to screen 0.16001,0.81759 nohead lw 0.8 lc rgb '#888888' back
set label "3" at screen 0.16048,0.84103 center font ',9' tc rgb '#009E73' front
set arrow from screen 0.15274,0.81002 to screen 0.15570,0.83175 nohead lw 0.8 lc rgb '#888888' back
set label "4" at screen 0.17296,0.77545 center font ',9' tc rgb '#CC79A7' front
set label "5" at screen 0.18115,0.65763 center font ',9' tc rgb '#E69F00' front
set label "6" at screen 0.54295,0.78108 center font ',9' tc rgb '#56B4E9' front
set label "7" at screen 0.52704,0.80260 center font ',9' tc rgb '#332288' front
set label "8" at screen 0.55931,0.81862 center font ',9' tc rgb '#882255' front
set label "9" at screen 0.56749,0.79637 center font ',9' tc rgb '#44AA99' front
set label "10" at screen 0.57863,0.76773 center font ',9' tc rgb '#999933' front
set label "11" at screen 0.21257,0.80275 center font ',9' tc rgb '#AA4499' front
set label "12" at screen 0.25893,0.83138 center font ',9' tc rgb '#661100' front
set arrow from screen 0.23575,0.83138 to screen 0.25121,0.83138 nohead lw 0.8 lc rgb '#888888' back
set label "13" at screen 0.24393,0.79835 center font ',9' tc rgb '#0072B2' front
set label "14" at screen 0.26711,0.53849 center font ',9' tc rgb '#D55E00' front
set label "15" at screen 0.27530,0.16517 center font ',9' tc rgb '#009E73' front
set label "16" at screen 0.50656,0.85483 center font ',9' tc rgb '#CC79A7' front
set arrow from screen 0.48338,0.85483 to screen 0.49883,0.85483 nohead lw 0.8 lc rgb '#888888' back
set label "17" at screen 0.50795,0.87842 center font ',9' tc rgb '#E69F00' front
set arrow from screen 0.49156,0.85468 to screen 0.50023,0.86913 nohead lw 0.8 lc rgb '#888888' back
set label 'no.  config' at screen 0.65000,0.44143 left font ',9' front
set label "  1  espnetv2 lr_base=0.025" at screen 0.65000,0.42143 left font ',9' tc rgb '#0072B2' front
set label "  2  espnetv2 lr_base=0.05" at screen 0.65000,0.40143 left font ',9' tc rgb '#D55E00' front
set label "  3  espnetv2 lr_base=0.1" at screen 0.65000,0.38143 left font ',9' tc rgb '#009E73' front
set label "  4  espnetv2 lr_base=0.2" at screen 0.65000,0.36143 left font ',9' tc rgb '#CC79A7' front
set label "  5  espnetv2 lr_base=0.4" at screen 0.65000,0.34143 left font ',9' tc rgb '#E69F00' front
set label "  6  mobilenet_v1 lr_base=0.025" at screen 0.65000,0.32143 left font ',9' tc rgb '#56B4E9' front
set label "  7  mobilenet_v1 lr_base=0.05" at screen 0.65000,0.30143 left font ',9' tc rgb '#332288' front
set label "  8  mobilenet_v1 lr_base=0.1" at screen 0.65000,0.28143 left font ',9' tc rgb '#882255' front
set label "  9  mobilenet_v1 lr_base=0.2" at screen 0.65000,0.26143 left font ',9' tc rgb '#44AA99' front
set label " 10  mobilenet_v1 lr_base=0.4" at screen 0.65000,0.24143 left font ',9' tc rgb '#999933' front
set label " 11  mobilenet_v2 lr_base=0.025" at screen 0.65000,0.22143 left font ',9' tc rgb '#AA4499' front
set label " 12  mobilenet_v2 lr_base=0.05" at screen 0.65000,0.20143 left font ',9' tc rgb '#661100' front
set label " 13  mobilenet_v2 lr_base=0.1" at screen 0.65000,0.18143 left font ',9' tc rgb '#0072B2' front
set label " 14  mobilenet_v2 lr_base=0.2" at screen 0.65000,0.16143 left font ',9' tc rgb '#D55E00' front
set label " 15  mobilenet_v2 lr_base=0.4" at screen 0.65000,0.14143 left font ',9' tc rgb '#009E73' front
set label " 16  shufflenet_v1 lr_base=0.05" at screen 0.65000,0.12143 left font ',9' tc rgb '#CC79A7' front
set label " 17  shufflenet_v1 lr_base=0.1" at screen 0.65000,0.10143 left font ',9' tc rgb '#E69F00' front
plot 'acc_vs_macs.dat' index 0 using ($1*$8):4:($2*$8):($3*$8):5:6 with xyerrorlines lw 1.5 pt 7 ps 0.9 lc rgb '#0072B2' dt 1 notitle, \
     'acc_vs_macs.dat' index 1 using ($1*$8):4:($2*$8):($3*$8):5:6 with xyerrorlines lw 1.5 pt 7 ps 0.9 lc rgb '#D55E00' dt 1 notitle, \
     'acc_vs_macs.dat' index 2 using ($1*$8):4:($2*$8):($3*$8):5:6 with xyerrorlines lw 1.5 pt 7 ps 0.9 lc rgb '#009E73' dt 1 notitle, \
     'acc_vs_macs.dat' index 3 using ($1*$8):4:($2*$8):($3*$8):5:6 with xyerrorlines lw 1.5 pt 7 ps 0.9 lc rgb '#CC79A7' dt 1 notitle, \
     'acc_vs_macs.dat' index 4 using ($1*$8):4:($2*$8):($3*$8):5:6 with xyerrorlines lw 1.5 pt 7 ps 0.9 lc rgb '#E69F00' dt 1 notitle, \
     'acc_vs_macs.dat' index 5 using ($1*$8):4:($2*$8):($3*$8):5:6 with xyerrorlines lw 1.5 pt 7 ps 0.9 lc rgb '#56B4E9' dt 1 notitle, \
     'acc_vs_macs.dat' index 6 using ($1*$8):4:($2*$8):($3*$8):5:6 with xyerrorlines lw 1.5 pt 7 ps 0.9 lc rgb '#332288' dt 1 notitle, \
     'acc_vs_macs.dat' index 7 using ($1*$8):4:($2*$8):($3*$8):5:6 with xyerrorlines lw 1.5 pt 7 ps 0.9 lc rgb '#882255' dt 1 notitle, \
     'acc_vs_macs.dat' index 8 using ($1*$8):4:($2*$8):($3*$8):5:6 with xyerrorlines lw 1.5 pt 7 ps 0.9 lc rgb '#44AA99' dt 1 notitle, \
     'acc_vs_macs.dat' index 9 using ($1*$8):4:($2*$8):($3*$8):5:6 with xyerrorlines lw 1.5 pt 7 ps 0.9 lc rgb '#999933' dt 1 notitle, \
     'acc_vs_macs.dat' index 10 using ($1*$8):4:($2*$8):($3*$8):5:6 with xyerrorlines lw 1.5 pt 7 ps 0.9 lc rgb '#AA4499' dt 1 notitle, \
     'acc_vs_macs.dat' index 11 using ($1*$8):4:($2*$8):($3*$8):5:6 with xyerrorlines lw 1.5 pt 7 ps 0.9 lc rgb '#661100' dt 1 notitle, \
     'acc_vs_macs.dat' index 12 using ($1*$8):4:($2*$8):($3*$8):5:6 with xyerrorlines lw 1.5 pt 7 ps 0.9 lc rgb '#0072B2' dt 2 notitle, \
     'acc_vs_macs.dat' index 13 using ($1*$8):4:($2*$8):($3*$8):5:6 with xyerrorlines lw 1.5 pt 7 ps 0.9 lc rgb '#D55E00' dt 2 notitle, \
     'acc_vs_macs.dat' index 14 using ($1*$8):4:($2*$8):($3*$8):5:6 with xyerrorlines lw 1.5 pt 7 ps 0.9 lc rgb '#009E73' dt 2 notitle, \
     'acc_vs_macs.dat' index 15 using ($1*$8):4:($2*$8):($3*$8):5:6 with xyerrorlines lw 1.5 pt 7 ps 0.9 lc rgb '#CC79A7' dt 2 notitle, \
     'acc_vs_macs.dat' index 16 using ($1*$8):4:($2*$8):($3*$8):5:6 with xyerrorlines lw 1.5 pt 7 ps 0.9 lc rgb '#E69F00' dt 2 notitle, \
     'acc_vs_macs.dat' index 17 using ($1*$4):2 with lines dt 2 lw 1.5 lc rgb '#000000' notitle, \
     'acc_vs_macs.dat' index 17 using ($1*$4):2 with points pt 6 ps 2.2 lc rgb '#000000' notitle, \
     NaN with linespoints lw 1.5 pt 7 lc rgb '#0072B2' dt 1 title "espnetv2 lr_base=0.025", \
     NaN with linespoints lw 1.5 pt 7 lc rgb '#D55E00' dt 1 title "espnetv2 lr_base=0.05", \
     NaN with linespoints lw 1.5 pt 7 lc rgb '#009E73' dt 1 title "espnetv2 lr_base=0.1", \
     NaN with linespoints lw 1.5 pt 7 lc rgb '#CC79A7' dt 1 title "espnetv2 lr_base=0.2", \
     NaN with linespoints lw 1.5 pt 7 lc rgb '#E69F00' dt 1 title "espnetv2 lr_base=0.4", \
     NaN with linespoints lw 1.5 pt 7 lc rgb '#56B4E9' dt 1 title "mobilenet_v1 lr_base=0.025", \
     NaN with linespoints lw 1.5 pt 7 lc rgb '#332288' dt 1 title "mobilenet_v1 lr_base=0.05", \
     NaN with linespoints lw 1.5 pt 7 lc rgb '#882255' dt 1 title "mobilenet_v1 lr_base=0.1", \
     NaN with linespoints lw 1.5 pt 7 lc rgb '#44AA99' dt 1 title "mobilenet_v1 lr_base=0.2", \
     NaN with linespoints lw 1.5 pt 7 lc rgb '#999933' dt 1 title "mobilenet_v1 lr_base=0.4", \
     NaN with linespoints lw 1.5 pt 7 lc rgb '#AA4499' dt 1 title "mobilenet_v2 lr_base=0.025", \
     NaN with linespoints lw 1.5 pt 7 lc rgb '#661100' dt 1 title "mobilenet_v2 lr_base=0.05", \
     NaN with linespoints lw 1.5 pt 7 lc rgb '#0072B2' dt 2 title "mobilenet_v2 lr_base=0.1", \
     NaN with linespoints lw 1.5 pt 7 lc rgb '#D55E00' dt 2 title "mobilenet_v2 lr_base=0.2", \
     NaN with linespoints lw 1.5 pt 7 lc rgb '#009E73' dt 2 title "mobilenet_v2 lr_base=0.4", \
     NaN with linespoints lw 1.5 pt 7 lc rgb '#CC79A7' dt 2 title "shufflenet_v1 lr_base=0.05", \
     NaN with linespoints lw 1.5 pt 7 lc rgb '#E69F00' dt 2 title "shufflenet_v1 lr_base=0.1", \
     NaN with linespoints dt 2 lw 1.5 pt 6 ps 1.5 lc rgb '#000000' title 'Pareto front'
