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
set title "test top-1 vs parameters: lr (30 configs, 30 finished runs)"
set xlabel "parameters, log scale"
set ylabel "test top-1 (%): one seed per config"
set lmargin at screen 0.08
set rmargin at screen 0.62
set bmargin at screen 0.11
set tmargin at screen 0.91
set grid lc rgb '#dddddd'
set logscale x
set xrange [582601.7857:1415032.64]
set xtics ("600k" 600000, "700k" 700000, "800k" 800000, "900k" 900000, "1M" 1000000, "1.2M" 1200000)
unset mxtics
set yrange [37.2916:91.4984]
set key at screen 0.65,0.91 left top Left reverse samplen 2 spacing 1.2 font ',10'
# config numbers, placed by espbench so that none overlaps another (screen coordinates)
set label "1" at screen 0.11646,0.79210 center font ',9' tc rgb '#0072B2' front
set label "2" at screen 0.12464,0.82005 center font ',9' tc rgb '#D55E00' front
set label "3" at screen 0.16510,0.81409 center font ',9' tc rgb '#009E73' front
set arrow from screen 0.14487,0.81409 to screen 0.16033,0.81409 nohead lw 0.8 lc rgb '#888888' back
set label "4" at screen 0.16079,0.83758 center font ',9' tc rgb '#CC79A7' front
set arrow from screen 0.15305,0.80657 to screen 0.15602,0.82830 nohead lw 0.8 lc rgb '#888888' back
set label "5" at screen 0.17328,0.77218 center font ',9' tc rgb '#E69F00' front
set label "6" at screen 0.18146,0.65500 center font ',9' tc rgb '#56B4E9' front
set label "7" at screen 0.28213,0.74193 center font ',9' tc rgb '#332288' front
set label "8" at screen 0.29031,0.77779 center font ',9' tc rgb '#882255' front
set label "9" at screen 0.27440,0.79919 center font ',9' tc rgb '#44AA99' front
set label "10" at screen 0.30963,0.81513 center font ',9' tc rgb '#999933' front
set label "11" at screen 0.31781,0.79299 center font ',9' tc rgb '#AA4499' front
set label "12" at screen 0.32599,0.76451 center font ',9' tc rgb '#661100' front
set label "13" at screen 0.15643,0.78886 center font ',9' tc rgb '#0072B2' front
set label "14" at screen 0.19461,0.77862 center font ',9' tc rgb '#D55E00' front
set label "15" at screen 0.21098,0.82782 center font ',9' tc rgb '#009E73' front
set arrow from screen 0.18779,0.82782 to screen 0.20325,0.82782 nohead lw 0.8 lc rgb '#888888' back
set label "16" at screen 0.21237,0.79183 center font ',9' tc rgb '#CC79A7' front
set arrow from screen 0.19598,0.81557 to screen 0.20464,0.80112 nohead lw 0.8 lc rgb '#888888' back
set label "17" at screen 0.21916,0.53649 center font ',9' tc rgb '#E69F00' front
set label "18" at screen 0.22734,0.16517 center font ',9' tc rgb '#56B4E9' front
set label "19" at screen 0.31978,0.85291 center font ',9' tc rgb '#332288' front
set label "20" at screen 0.36438,0.86767 center font ',9' tc rgb '#882255' front
set arrow from screen 0.34297,0.85483 to screen 0.35666,0.85839 nohead lw 0.8 lc rgb '#888888' back
set label "21" at screen 0.34228,0.88215 center font ',9' tc rgb '#44AA99' front
set arrow from screen 0.35115,0.85114 to screen 0.35000,0.87287 nohead lw 0.8 lc rgb '#888888' back
set label "22" at screen 0.38251,0.85099 center font ',9' tc rgb '#999933' front
set arrow from screen 0.35933,0.85099 to screen 0.37478,0.85099 nohead lw 0.8 lc rgb '#888888' back
set label "23" at screen 0.35251,0.81714 center font ',9' tc rgb '#AA4499' front
set label "24" at screen 0.39069,0.80406 center font ',9' tc rgb '#661100' front
set label "25" at screen 0.54558,0.75049 center font ',9' tc rgb '#0072B2' front
set label "26" at screen 0.55376,0.79830 center font ',9' tc rgb '#D55E00' front
set label "27" at screen 0.56195,0.82339 center font ',9' tc rgb '#009E73' front
set label "28" at screen 0.54013,0.84302 center font ',9' tc rgb '#CC79A7' front
set label "29" at screen 0.57831,0.75550 center font ',9' tc rgb '#E69F00' front
set label "30" at screen 0.58649,0.59966 center font ',9' tc rgb '#56B4E9' front
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
plot 'acc_vs_params.dat' index 0 using ($1*$8):4:($2*$8):($3*$8):5:6 with xyerrorlines lw 1.5 pt 7 ps 0.9 lc rgb '#0072B2' dt 1 notitle, \
     'acc_vs_params.dat' index 1 using ($1*$8):4:($2*$8):($3*$8):5:6 with xyerrorlines lw 1.5 pt 7 ps 0.9 lc rgb '#D55E00' dt 1 notitle, \
     'acc_vs_params.dat' index 2 using ($1*$8):4:($2*$8):($3*$8):5:6 with xyerrorlines lw 1.5 pt 7 ps 0.9 lc rgb '#009E73' dt 1 notitle, \
     'acc_vs_params.dat' index 3 using ($1*$8):4:($2*$8):($3*$8):5:6 with xyerrorlines lw 1.5 pt 7 ps 0.9 lc rgb '#CC79A7' dt 1 notitle, \
     'acc_vs_params.dat' index 4 using ($1*$8):4:($2*$8):($3*$8):5:6 with xyerrorlines lw 1.5 pt 7 ps 0.9 lc rgb '#E69F00' dt 1 notitle, \
     'acc_vs_params.dat' index 5 using ($1*$8):4:($2*$8):($3*$8):5:6 with xyerrorlines lw 1.5 pt 7 ps 0.9 lc rgb '#56B4E9' dt 1 notitle, \
     'acc_vs_params.dat' index 6 using ($1*$8):4:($2*$8):($3*$8):5:6 with xyerrorlines lw 1.5 pt 7 ps 0.9 lc rgb '#332288' dt 1 notitle, \
     'acc_vs_params.dat' index 7 using ($1*$8):4:($2*$8):($3*$8):5:6 with xyerrorlines lw 1.5 pt 7 ps 0.9 lc rgb '#882255' dt 1 notitle, \
     'acc_vs_params.dat' index 8 using ($1*$8):4:($2*$8):($3*$8):5:6 with xyerrorlines lw 1.5 pt 7 ps 0.9 lc rgb '#44AA99' dt 1 notitle, \
     'acc_vs_params.dat' index 9 using ($1*$8):4:($2*$8):($3*$8):5:6 with xyerrorlines lw 1.5 pt 7 ps 0.9 lc rgb '#999933' dt 1 notitle, \
     'acc_vs_params.dat' index 10 using ($1*$8):4:($2*$8):($3*$8):5:6 with xyerrorlines lw 1.5 pt 7 ps 0.9 lc rgb '#AA4499' dt 1 notitle, \
     'acc_vs_params.dat' index 11 using ($1*$8):4:($2*$8):($3*$8):5:6 with xyerrorlines lw 1.5 pt 7 ps 0.9 lc rgb '#661100' dt 1 notitle, \
     'acc_vs_params.dat' index 12 using ($1*$8):4:($2*$8):($3*$8):5:6 with xyerrorlines lw 1.5 pt 7 ps 0.9 lc rgb '#0072B2' dt 2 notitle, \
     'acc_vs_params.dat' index 13 using ($1*$8):4:($2*$8):($3*$8):5:6 with xyerrorlines lw 1.5 pt 7 ps 0.9 lc rgb '#D55E00' dt 2 notitle, \
     'acc_vs_params.dat' index 14 using ($1*$8):4:($2*$8):($3*$8):5:6 with xyerrorlines lw 1.5 pt 7 ps 0.9 lc rgb '#009E73' dt 2 notitle, \
     'acc_vs_params.dat' index 15 using ($1*$8):4:($2*$8):($3*$8):5:6 with xyerrorlines lw 1.5 pt 7 ps 0.9 lc rgb '#CC79A7' dt 2 notitle, \
     'acc_vs_params.dat' index 16 using ($1*$8):4:($2*$8):($3*$8):5:6 with xyerrorlines lw 1.5 pt 7 ps 0.9 lc rgb '#E69F00' dt 2 notitle, \
     'acc_vs_params.dat' index 17 using ($1*$8):4:($2*$8):($3*$8):5:6 with xyerrorlines lw 1.5 pt 7 ps 0.9 lc rgb '#56B4E9' dt 2 notitle, \
     'acc_vs_params.dat' index 18 using ($1*$8):4:($2*$8):($3*$8):5:6 with xyerrorlines lw 1.5 pt 7 ps 0.9 lc rgb '#332288' dt 2 notitle, \
     'acc_vs_params.dat' index 19 using ($1*$8):4:($2*$8):($3*$8):5:6 with xyerrorlines lw 1.5 pt 7 ps 0.9 lc rgb '#882255' dt 2 notitle, \
     'acc_vs_params.dat' index 20 using ($1*$8):4:($2*$8):($3*$8):5:6 with xyerrorlines lw 1.5 pt 7 ps 0.9 lc rgb '#44AA99' dt 2 notitle, \
     'acc_vs_params.dat' index 21 using ($1*$8):4:($2*$8):($3*$8):5:6 with xyerrorlines lw 1.5 pt 7 ps 0.9 lc rgb '#999933' dt 2 notitle, \
     'acc_vs_params.dat' index 22 using ($1*$8):4:($2*$8):($3*$8):5:6 with xyerrorlines lw 1.5 pt 7 ps 0.9 lc rgb '#AA4499' dt 2 notitle, \
     'acc_vs_params.dat' index 23 using ($1*$8):4:($2*$8):($3*$8):5:6 with xyerrorlines lw 1.5 pt 7 ps 0.9 lc rgb '#661100' dt 2 notitle, \
     'acc_vs_params.dat' index 24 using ($1*$8):4:($2*$8):($3*$8):5:6 with xyerrorlines lw 1.5 pt 7 ps 0.9 lc rgb '#0072B2' dt 3 notitle, \
     'acc_vs_params.dat' index 25 using ($1*$8):4:($2*$8):($3*$8):5:6 with xyerrorlines lw 1.5 pt 7 ps 0.9 lc rgb '#D55E00' dt 3 notitle, \
     'acc_vs_params.dat' index 26 using ($1*$8):4:($2*$8):($3*$8):5:6 with xyerrorlines lw 1.5 pt 7 ps 0.9 lc rgb '#009E73' dt 3 notitle, \
     'acc_vs_params.dat' index 27 using ($1*$8):4:($2*$8):($3*$8):5:6 with xyerrorlines lw 1.5 pt 7 ps 0.9 lc rgb '#CC79A7' dt 3 notitle, \
     'acc_vs_params.dat' index 28 using ($1*$8):4:($2*$8):($3*$8):5:6 with xyerrorlines lw 1.5 pt 7 ps 0.9 lc rgb '#E69F00' dt 3 notitle, \
     'acc_vs_params.dat' index 29 using ($1*$8):4:($2*$8):($3*$8):5:6 with xyerrorlines lw 1.5 pt 7 ps 0.9 lc rgb '#56B4E9' dt 3 notitle, \
     'acc_vs_params.dat' index 30 using ($1*$4):2 with lines dt 2 lw 1.5 lc rgb '#000000' notitle, \
     'acc_vs_params.dat' index 30 using ($1*$4):2 with points pt 6 ps 2.2 lc rgb '#000000' notitle, \
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
