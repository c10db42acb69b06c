# Written by `espbench plot` from the sweep's report.json files; restyle freely, then re-render in
# this folder:  gnuplot curves.gp  (SVG)   or   gnuplot -e "fmt='png'" curves.gp  (PNG)
if (!exists("fmt")) fmt = 'svg'
if (fmt eq 'png') {
  set terminal pngcairo noenhanced size 1100,700 font ',10'
  set output 'curves.png'
} else {
  set terminal svg noenhanced size 1100,700 dynamic font ',10'
  set output 'curves.svg'
}
set multiplot title "training curves: frontier (15 configs, 45 runs)"
set xlabel 'epoch'
set xrange [1:6]
set xtics 1,1 format '%.0f'
unset mxtics
set grid lc rgb '#dddddd'
set lmargin at screen 0.07
set rmargin at screen 0.36
set bmargin at screen 0.11
set tmargin at screen 0.90
set ylabel "test top-1 (%): mean of 3 seeds, band: lowest to highest seed"
set key at screen 0.735,0.90 left top Left reverse samplen 2.5 font ',9'
plot 'curves.dat' index 0 using 1:3:4 with filledcurves fc rgb '#0072B2' fs transparent solid 0.18 noborder notitle, \
     'curves.dat' index 0 using 1:2 with linespoints lw 2 ps 0.6 lc rgb '#0072B2' dt 1 pt 7 title "espnetv2 scale=0.5", \
     'curves.dat' index 1 using 1:3:4 with filledcurves fc rgb '#D55E00' fs transparent solid 0.18 noborder notitle, \
     'curves.dat' index 1 using 1:2 with linespoints lw 2 ps 0.6 lc rgb '#D55E00' dt 1 pt 7 title "espnetv2 scale=1", \
     'curves.dat' index 2 using 1:3:4 with filledcurves fc rgb '#009E73' fs transparent solid 0.18 noborder notitle, \
     'curves.dat' index 2 using 1:2 with linespoints lw 2 ps 0.6 lc rgb '#009E73' dt 1 pt 7 title "espnetv2 scale=1.5", \
     'curves.dat' index 3 using 1:3:4 with filledcurves fc rgb '#CC79A7' fs transparent solid 0.18 noborder notitle, \
     'curves.dat' index 3 using 1:2 with linespoints lw 2 ps 0.6 lc rgb '#CC79A7' dt 1 pt 7 title "mobilenet_v1 width=0.25", \
     'curves.dat' index 4 using 1:3:4 with filledcurves fc rgb '#E69F00' fs transparent solid 0.18 noborder notitle, \
     'curves.dat' index 4 using 1:2 with linespoints lw 2 ps 0.6 lc rgb '#E69F00' dt 1 pt 7 title "mobilenet_v1 width=0.5", \
     'curves.dat' index 5 using 1:3:4 with filledcurves fc rgb '#56B4E9' fs transparent solid 0.18 noborder notitle, \
     'curves.dat' index 5 using 1:2 with linespoints lw 2 ps 0.6 lc rgb '#56B4E9' dt 1 pt 7 title "mobilenet_v1 width=0.75", \
     'curves.dat' index 6 using 1:3:4 with filledcurves fc rgb '#332288' fs transparent solid 0.18 noborder notitle, \
     'curves.dat' index 6 using 1:2 with linespoints lw 2 ps 0.6 lc rgb '#332288' dt 1 pt 7 title "mobilenet_v2 width=0.35", \
     'curves.dat' index 7 using 1:3:4 with filledcurves fc rgb '#882255' fs transparent solid 0.18 noborder notitle, \
     'curves.dat' index 7 using 1:2 with linespoints lw 2 ps 0.6 lc rgb '#882255' dt 1 pt 7 title "mobilenet_v2 width=0.5", \
     'curves.dat' index 8 using 1:3:4 with filledcurves fc rgb '#44AA99' fs transparent solid 0.18 noborder notitle, \
     'curves.dat' index 8 using 1:2 with linespoints lw 2 ps 0.6 lc rgb '#44AA99' dt 1 pt 7 title "mobilenet_v2 width=0.75", \
     'curves.dat' index 9 using 1:3:4 with filledcurves fc rgb '#999933' fs transparent solid 0.18 noborder notitle, \
     'curves.dat' index 9 using 1:2 with linespoints lw 2 ps 0.6 lc rgb '#999933' dt 1 pt 7 title "shufflenet_v1 width=0.5", \
     'curves.dat' index 10 using 1:3:4 with filledcurves fc rgb '#AA4499' fs transparent solid 0.18 noborder notitle, \
     'curves.dat' index 10 using 1:2 with linespoints lw 2 ps 0.6 lc rgb '#AA4499' dt 1 pt 7 title "shufflenet_v1 width=1", \
     'curves.dat' index 11 using 1:3:4 with filledcurves fc rgb '#661100' fs transparent solid 0.18 noborder notitle, \
     'curves.dat' index 11 using 1:2 with linespoints lw 2 ps 0.6 lc rgb '#661100' dt 1 pt 7 title "shufflenet_v1 width=1.5", \
     'curves.dat' index 12 using 1:3:4 with filledcurves fc rgb '#0072B2' fs transparent solid 0.18 noborder notitle, \
     'curves.dat' index 12 using 1:2 with linespoints lw 2 ps 0.6 lc rgb '#0072B2' dt 2 pt 5 title "shufflenet_v2 width=0.5", \
     'curves.dat' index 13 using 1:3:4 with filledcurves fc rgb '#D55E00' fs transparent solid 0.18 noborder notitle, \
     'curves.dat' index 13 using 1:2 with linespoints lw 2 ps 0.6 lc rgb '#D55E00' dt 2 pt 5 title "shufflenet_v2 width=1", \
     'curves.dat' index 14 using 1:3:4 with filledcurves fc rgb '#009E73' fs transparent solid 0.18 noborder notitle, \
     'curves.dat' index 14 using 1:2 with linespoints lw 2 ps 0.6 lc rgb '#009E73' dt 2 pt 5 title "shufflenet_v2 width=1.5"
set lmargin at screen 0.43
set rmargin at screen 0.72
set ylabel "training loss: mean of 3 seeds, band: lowest to highest seed"
plot 'curves.dat' index 0 using 1:7:8 with filledcurves fc rgb '#0072B2' fs transparent solid 0.18 noborder notitle, \
     'curves.dat' index 0 using 1:6 with linespoints lw 2 ps 0.6 lc rgb '#0072B2' dt 1 pt 7 notitle, \
     'curves.dat' index 1 using 1:7:8 with filledcurves fc rgb '#D55E00' fs transparent solid 0.18 noborder notitle, \
     'curves.dat' index 1 using 1:6 with linespoints lw 2 ps 0.6 lc rgb '#D55E00' dt 1 pt 7 notitle, \
     'curves.dat' index 2 using 1:7:8 with filledcurves fc rgb '#009E73' fs transparent solid 0.18 noborder notitle, \
     'curves.dat' index 2 using 1:6 with linespoints lw 2 ps 0.6 lc rgb '#009E73' dt 1 pt 7 notitle, \
     'curves.dat' index 3 using 1:7:8 with filledcurves fc rgb '#CC79A7' fs transparent solid 0.18 noborder notitle, \
     'curves.dat' index 3 using 1:6 with linespoints lw 2 ps 0.6 lc rgb '#CC79A7' dt 1 pt 7 notitle, \
     'curves.dat' index 4 using 1:7:8 with filledcurves fc rgb '#E69F00' fs transparent solid 0.18 noborder notitle, \
     'curves.dat' index 4 using 1:6 with linespoints lw 2 ps 0.6 lc rgb '#E69F00' dt 1 pt 7 notitle, \
     'curves.dat' index 5 using 1:7:8 with filledcurves fc rgb '#56B4E9' fs transparent solid 0.18 noborder notitle, \
     'curves.dat' index 5 using 1:6 with linespoints lw 2 ps 0.6 lc rgb '#56B4E9' dt 1 pt 7 notitle, \
     'curves.dat' index 6 using 1:7:8 with filledcurves fc rgb '#332288' fs transparent solid 0.18 noborder notitle, \
     'curves.dat' index 6 using 1:6 with linespoints lw 2 ps 0.6 lc rgb '#332288' dt 1 pt 7 notitle, \
     'curves.dat' index 7 using 1:7:8 with filledcurves fc rgb '#882255' fs transparent solid 0.18 noborder notitle, \
     'curves.dat' index 7 using 1:6 with linespoints lw 2 ps 0.6 lc rgb '#882255' dt 1 pt 7 notitle, \
     'curves.dat' index 8 using 1:7:8 with filledcurves fc rgb '#44AA99' fs transparent solid 0.18 noborder notitle, \
     'curves.dat' index 8 using 1:6 with linespoints lw 2 ps 0.6 lc rgb '#44AA99' dt 1 pt 7 notitle, \
     'curves.dat' index 9 using 1:7:8 with filledcurves fc rgb '#999933' fs transparent solid 0.18 noborder notitle, \
     'curves.dat' index 9 using 1:6 with linespoints lw 2 ps 0.6 lc rgb '#999933' dt 1 pt 7 notitle, \
     'curves.dat' index 10 using 1:7:8 with filledcurves fc rgb '#AA4499' fs transparent solid 0.18 noborder notitle, \
     'curves.dat' index 10 using 1:6 with linespoints lw 2 ps 0.6 lc rgb '#AA4499' dt 1 pt 7 notitle, \
     'curves.dat' index 11 using 1:7:8 with filledcurves fc rgb '#661100' fs transparent solid 0.18 noborder notitle, \
     'curves.dat' index 11 using 1:6 with linespoints lw 2 ps 0.6 lc rgb '#661100' dt 1 pt 7 notitle, \
     'curves.dat' index 12 using 1:7:8 with filledcurves fc rgb '#0072B2' fs transparent solid 0.18 noborder notitle, \
     'curves.dat' index 12 using 1:6 with linespoints lw 2 ps 0.6 lc rgb '#0072B2' dt 2 pt 5 notitle, \
     'curves.dat' index 13 using 1:7:8 with filledcurves fc rgb '#D55E00' fs transparent solid 0.18 noborder notitle, \
     'curves.dat' index 13 using 1:6 with linespoints lw 2 ps 0.6 lc rgb '#D55E00' dt 2 pt 5 notitle, \
     'curves.dat' index 14 using 1:7:8 with filledcurves fc rgb '#009E73' fs transparent solid 0.18 noborder notitle, \
     'curves.dat' index 14 using 1:6 with linespoints lw 2 ps 0.6 lc rgb '#009E73' dt 2 pt 5 notitle
unset multiplot
