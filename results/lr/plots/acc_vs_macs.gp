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
set title "test top-1 vs MACs: lr (30 configs, 30 finished runs)"
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
set yrange [37.2916:91.4984]
set key at screen 0.65,0.91 left top Left reverse samplen 2 spacing 1.2 font ',10'
# config numbers, placed by espbench so that none overlaps another (screen coordinates)
set label "1" at screen 0.12024,0.79210 center font ',9' tc rgb '#0072B2' front
set label "2" at screen 0.12842,0.82005 center font ',9' tc rgb '#D55E00' front
set label "3" at screen 0.16887,0.81409 center font ',9' tc rgb '#009E73' front
set arrow from screen 0.14865,0.81409 to screen 0.16410,0.81409 nohead lw 0.8 lc rgb '#888888' back
set label "4" at screen 0.16457,0.83758 center font ',9' tc rgb '#CC79A7' front
set arrow from screen 0.15683,0.80657 to screen 0.15980,0.82830 nohead lw 0.8 lc rgb '#888888' back
set label "5" at screen 0.17705,0.77218 center font ',9' tc rgb '#E69F00' front
set label "6" at screen 0.18524,0.65500 center font ',9' tc rgb '#56B4E9' front
set label "7" at screen 0.52681,0.72121 center font ',9' tc rgb '#332288' front
set label "8" at screen 0.54704,0.77779 center font ',9' tc rgb '#882255' front
set label "9" at screen 0.53113,0.79919 center font ',9' tc rgb '#44AA99' front
set label "10" at screen 0.56635,0.81513 center font ',9' tc rgb '#999933' front
set label "11" at screen 0.57454,0.79299 center font ',9' tc rgb '#AA4499' front
set label "12" at screen 0.58272,0.76451 center font ',9' tc rgb '#661100' front
set label "13" at screen 0.20848,0.78886 center font ',9' tc rgb '#0072B2' front
set label "14" at screen 0.21666,0.82005 center font ',9' tc rgb '#D55E00' front
set label "15" at screen 0.26302,0.82782 center font ',9' tc rgb '#009E73' front
set arrow from screen 0.23984,0.82782 to screen 0.25530,0.82782 nohead lw 0.8 lc rgb '#888888' back
set label "16" at screen 0.24802,0.79486 center font ',9' tc rgb '#CC79A7' front
set label "17" at screen 0.27121,0.53649 center font ',9' tc rgb '#E69F00' front
set label "18" at screen 0.27939,0.16517 center font ',9' tc rgb '#56B4E9' front
set label "19" at screen 0.45202,0.85291 center font ',9' tc rgb '#332288' front
set label "20" at screen 0.49661,0.86767 center font ',9' tc rgb '#882255' front
set arrow from screen 0.47520,0.85483 to screen 0.48889,0.85839 nohead lw 0.8 lc rgb '#888888' back
set label "21" at screen 0.47451,0.88215 center font ',9' tc rgb '#44AA99' front
set arrow from screen 0.48338,0.85114 to screen 0.48223,0.87287 nohead lw 0.8 lc rgb '#888888' back
set label "22" at screen 0.51474,0.85099 center font ',9' tc rgb '#999933' front
set arrow from screen 0.49156,0.85099 to screen 0.50702,0.85099 nohead lw 0.8 lc rgb '#888888' back
set label "23" at screen 0.48474,0.81714 center font ',9' tc rgb '#AA4499' front
set label "24" at screen 0.49292,0.78334 center font ',9' tc rgb '#661100' front
set label "25" at screen 0.49399,0.75049 center font ',9' tc rgb '#0072B2' front
set label "26" at screen 0.51717,0.77759 center font ',9' tc rgb '#D55E00' front
set label "27" at screen 0.54677,0.83624 center font ',9' tc rgb '#009E73' front
set arrow from screen 0.52535,0.82339 to screen 0.53904,0.82695 nohead lw 0.8 lc rgb '#888888' back
set label "28" at screen 0.53353,0.86374 center font ',9' tc rgb '#CC79A7' front
set label "29" at screen 0.54171,0.73479 center font ',9' tc rgb '#E69F00' front
set label "30" at screen 0.56489,0.59966 center font ',9' tc rgb '#56B4E9' front
set label 'no.  config' at screen 0.65000,0.12571 left font ',9' front
set label "  1  espnetv2 lr_base=0.0125" at screen 0.65000,0.12230 left font ',7' tc rgb '#0072B2' front
set label "  2  espnetv2 lr_base=0.025" at screen 0.65000,0.11889 left font ',7' tc rgb '#D55E00' front
set label "  3  espnetv2 lr_base=0.05" at screen 0.65000,0.11548 left font ',7' tc rgb '#009E73' front
set label "  4  espnetv2 lr_base=0.1" at screen 0.65000,0.11207 left font ',7' tc rgb '#CC79A7' front
set label "  5  espnetv2 lr_base=0.2" at screen 0.65000,0.10866 left font ',7' tc rgb '#E69F00' front
set label "  6  espnetv2 lr_base=0.4" at screen 0.65000,0.10525 left font ',7' tc rgb '#56B4E9' front
set label "  7  mobilenet_v1 lr_base=0.0125" at screen 0.65000,0.10184 left font ',7' tc rgb '#332288' front
set label "  8  mobilenet_v1 lr_base=0.025" at screen 0.65000,0.09843 left font ',7' tc rgb '#882255' front
set label "  9  mobilenet_v1 lr_base=0.05" at screen 0.65000,0.09502 left font ',7' tc rgb '#44AA99' front
set label " 10  mobilenet_v1 lr_base=0.1" at screen 0.65000,0.09161 left font ',7' tc rgb '#999933' front
set label " 11  mobilenet_v1 lr_base=0.2" at screen 0.65000,0.08820 left font ',7' tc rgb '#AA4499' front
set label " 12  mobilenet_v1 lr_base=0.4" at screen 0.65000,0.08479 left font ',7' tc rgb '#661100' front
set label " 13  mobilenet_v2 lr_base=0.0125" at screen 0.65000,0.08138 left font ',7' tc rgb '#0072B2' front
set label " 14  mobilenet_v2 lr_base=0.025" at screen 0.65000,0.07797 left font ',7' tc rgb '#D55E00' front
set label " 15  mobilenet_v2 lr_base=0.05" at screen 0.65000,0.07456 left font ',7' tc rgb '#009E73' front
set label " 16  mobilenet_v2 lr_base=0.1" at screen 0.65000,0.07115 left font ',7' tc rgb '#CC79A7' front
set label " 17  mobilenet_v2 lr_base=0.2" at screen 0.65000,0.06774 left font ',7' tc rgb '#E69F00' front
set label " 18  mobilenet_v2 lr_base=0.4" at screen 0.65000,0.06433 left font ',7' tc rgb '#56B4E9' front
set label " 19  shufflenet_v1 lr_base=0.0125" at screen 0.65000,0.06092 left font ',7' tc rgb '#332288' front
set label " 20  shufflenet_v1 lr_base=0.025" at screen 0.65000,0.05751 left font ',7' tc rgb '#882255' front
set label " 21  shufflenet_v1 lr_base=0.05" at screen 0.65000,0.05410 left font ',7' tc rgb '#44AA99' front
set label " 22  shufflenet_v1 lr_base=0.1" at screen 0.65000,0.05069 left font ',7' tc rgb '#999933' front
set label " 23  shufflenet_v1 lr_base=0.2" at screen 0.65000,0.04728 left font ',7' tc rgb '#AA4499' front
set label " 24  shufflenet_v1 lr_base=0.4" at screen 0.65000,0.04387 left font ',7' tc rgb '#661100' front
set label " 25  shufflenet_v2 lr_base=0.0125" at screen 0.65000,0.04046 left font ',7' tc rgb '#0072B2' front
set label " 26  shufflenet_v2 lr_base=0.025" at screen 0.65000,0.03705 left font ',7' tc rgb '#D55E00' front
set label " 27  shufflenet_v2 lr_base=0.05" at screen 0.65000,0.03364 left font ',7' tc rgb '#009E73' front
set label " 28  shufflenet_v2 lr_base=0.1" at screen 0.65000,0.03023 left font ',7' tc rgb '#CC79A7' front
set label " 29  shufflenet_v2 lr_base=0.2" at screen 0.65000,0.02682 left font ',7' tc rgb '#E69F00' front
set label " 30  shufflenet_v2 lr_base=0.4" at screen 0.65000,0.02341 left font ',7' tc rgb '#56B4E9' front
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
     'acc_vs_macs.dat' index 17 using ($1*$8):4:($2*$8):($3*$8):5:6 with xyerrorlines lw 1.5 pt 7 ps 0.9 lc rgb '#56B4E9' dt 2 notitle, \
     'acc_vs_macs.dat' index 18 using ($1*$8):4:($2*$8):($3*$8):5:6 with xyerrorlines lw 1.5 pt 7 ps 0.9 lc rgb '#332288' dt 2 notitle, \
     'acc_vs_macs.dat' index 19 using ($1*$8):4:($2*$8):($3*$8):5:6 with xyerrorlines lw 1.5 pt 7 ps 0.9 lc rgb '#882255' dt 2 notitle, \
     'acc_vs_macs.dat' index 20 using ($1*$8):4:($2*$8):($3*$8):5:6 with xyerrorlines lw 1.5 pt 7 ps 0.9 lc rgb '#44AA99' dt 2 notitle, \
     'acc_vs_macs.dat' index 21 using ($1*$8):4:($2*$8):($3*$8):5:6 with xyerrorlines lw 1.5 pt 7 ps 0.9 lc rgb '#999933' dt 2 notitle, \
     'acc_vs_macs.dat' index 22 using ($1*$8):4:($2*$8):($3*$8):5:6 with xyerrorlines lw 1.5 pt 7 ps 0.9 lc rgb '#AA4499' dt 2 notitle, \
     'acc_vs_macs.dat' index 23 using ($1*$8):4:($2*$8):($3*$8):5:6 with xyerrorlines lw 1.5 pt 7 ps 0.9 lc rgb '#661100' dt 2 notitle, \
     'acc_vs_macs.dat' index 24 using ($1*$8):4:($2*$8):($3*$8):5:6 with xyerrorlines lw 1.5 pt 7 ps 0.9 lc rgb '#0072B2' dt 3 notitle, \
     'acc_vs_macs.dat' index 25 using ($1*$8):4:($2*$8):($3*$8):5:6 with xyerrorlines lw 1.5 pt 7 ps 0.9 lc rgb '#D55E00' dt 3 notitle, \
     'acc_vs_macs.dat' index 26 using ($1*$8):4:($2*$8):($3*$8):5:6 with xyerrorlines lw 1.5 pt 7 ps 0.9 lc rgb '#009E73' dt 3 notitle, \
     'acc_vs_macs.dat' index 27 using ($1*$8):4:($2*$8):($3*$8):5:6 with xyerrorlines lw 1.5 pt 7 ps 0.9 lc rgb '#CC79A7' dt 3 notitle, \
     'acc_vs_macs.dat' index 28 using ($1*$8):4:($2*$8):($3*$8):5:6 with xyerrorlines lw 1.5 pt 7 ps 0.9 lc rgb '#E69F00' dt 3 notitle, \
     'acc_vs_macs.dat' index 29 using ($1*$8):4:($2*$8):($3*$8):5:6 with xyerrorlines lw 1.5 pt 7 ps 0.9 lc rgb '#56B4E9' dt 3 notitle, \
     'acc_vs_macs.dat' index 30 using ($1*$4):2 with lines dt 2 lw 1.5 lc rgb '#000000' notitle, \
     'acc_vs_macs.dat' index 30 using ($1*$4):2 with points pt 6 ps 2.2 lc rgb '#000000' notitle, \
     NaN with linespoints lw 1.5 pt 7 lc rgb '#0072B2' dt 1 title "espnetv2 lr_base=0.0125", \
     NaN with linespoints lw 1.5 pt 7 lc rgb '#D55E00' dt 1 title "espnetv2 lr_base=0.025", \
     NaN with linespoints lw 1.5 pt 7 lc rgb '#009E73' dt 1 title "espnetv2 lr_base=0.05", \
     NaN with linespoints lw 1.5 pt 7 lc rgb '#CC79A7' dt 1 title "espnetv2 lr_base=0.1", \
     NaN with linespoints lw 1.5 pt 7 lc rgb '#E69F00' dt 1 title "espnetv2 lr_base=0.2", \
     NaN with linespoints lw 1.5 pt 7 lc rgb '#56B4E9' dt 1 title "espnetv2 lr_base=0.4", \
     NaN with linespoints lw 1.5 pt 7 lc rgb '#332288' dt 1 title "mobilenet_v1 lr_base=0.0125", \
     NaN with linespoints lw 1.5 pt 7 lc rgb '#882255' dt 1 title "mobilenet_v1 lr_base=0.025", \
     NaN with linespoints lw 1.5 pt 7 lc rgb '#44AA99' dt 1 title "mobilenet_v1 lr_base=0.05", \
     NaN with linespoints lw 1.5 pt 7 lc rgb '#999933' dt 1 title "mobilenet_v1 lr_base=0.1", \
     NaN with linespoints lw 1.5 pt 7 lc rgb '#AA4499' dt 1 title "mobilenet_v1 lr_base=0.2", \
     NaN with linespoints lw 1.5 pt 7 lc rgb '#661100' dt 1 title "mobilenet_v1 lr_base=0.4", \
     NaN with linespoints lw 1.5 pt 7 lc rgb '#0072B2' dt 2 title "mobilenet_v2 lr_base=0.0125", \
     NaN with linespoints lw 1.5 pt 7 lc rgb '#D55E00' dt 2 title "mobilenet_v2 lr_base=0.025", \
     NaN with linespoints lw 1.5 pt 7 lc rgb '#009E73' dt 2 title "mobilenet_v2 lr_base=0.05", \
     NaN with linespoints lw 1.5 pt 7 lc rgb '#CC79A7' dt 2 title "mobilenet_v2 lr_base=0.1", \
     NaN with linespoints lw 1.5 pt 7 lc rgb '#E69F00' dt 2 title "mobilenet_v2 lr_base=0.2", \
     NaN with linespoints lw 1.5 pt 7 lc rgb '#56B4E9' dt 2 title "mobilenet_v2 lr_base=0.4", \
     NaN with linespoints lw 1.5 pt 7 lc rgb '#332288' dt 2 title "shufflenet_v1 lr_base=0.0125", \
     NaN with linespoints lw 1.5 pt 7 lc rgb '#882255' dt 2 title "shufflenet_v1 lr_base=0.025", \
     NaN with linespoints lw 1.5 pt 7 lc rgb '#44AA99' dt 2 title "shufflenet_v1 lr_base=0.05", \
     NaN with linespoints lw 1.5 pt 7 lc rgb '#999933' dt 2 title "shufflenet_v1 lr_base=0.1", \
     NaN with linespoints lw 1.5 pt 7 lc rgb '#AA4499' dt 2 title "shufflenet_v1 lr_base=0.2", \
     NaN with linespoints lw 1.5 pt 7 lc rgb '#661100' dt 2 title "shufflenet_v1 lr_base=0.4", \
     NaN with linespoints lw 1.5 pt 7 lc rgb '#0072B2' dt 3 title "shufflenet_v2 lr_base=0.0125", \
     NaN with linespoints lw 1.5 pt 7 lc rgb '#D55E00' dt 3 title "shufflenet_v2 lr_base=0.025", \
     NaN with linespoints lw 1.5 pt 7 lc rgb '#009E73' dt 3 title "shufflenet_v2 lr_base=0.05", \
     NaN with linespoints lw 1.5 pt 7 lc rgb '#CC79A7' dt 3 title "shufflenet_v2 lr_base=0.1", \
     NaN with linespoints lw 1.5 pt 7 lc rgb '#E69F00' dt 3 title "shufflenet_v2 lr_base=0.2", \
     NaN with linespoints lw 1.5 pt 7 lc rgb '#56B4E9' dt 3 title "shufflenet_v2 lr_base=0.4", \
     NaN with linespoints dt 2 lw 1.5 pt 6 ps 1.5 lc rgb '#000000' title 'Pareto front'
