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
set multiplot layout 1,2 title "training curves: frontier"
set grid
set xlabel 'epoch'
set key bottom right font ',8'
set ylabel 'test top-1 (%)'
plot 'curves.dat' index 0 using 1:2 with linespoints pt 7 ps 0.5 title "espnetv2 scale=2 seed=1", \
     'curves.dat' index 1 using 1:2 with linespoints pt 7 ps 0.5 title "shufflenet_v1 width=0.5 seed=1", \
     'curves.dat' index 2 using 1:2 with linespoints pt 7 ps 0.5 title "mobilenet_v1 width=0.75 seed=1", \
     'curves.dat' index 3 using 1:2 with linespoints pt 7 ps 0.5 title "shufflenet_v2 width=1 seed=1", \
     'curves.dat' index 4 using 1:2 with linespoints pt 7 ps 0.5 title "shufflenet_v2 width=0.5 seed=1", \
     'curves.dat' index 5 using 1:2 with linespoints pt 7 ps 0.5 title "espnetv2 scale=1.5 seed=1", \
     'curves.dat' index 6 using 1:2 with linespoints pt 7 ps 0.5 title "mobilenet_v2 width=0.5 seed=1", \
     'curves.dat' index 7 using 1:2 with linespoints pt 7 ps 0.5 title "mobilenet_v1 width=0.5 seed=1", \
     'curves.dat' index 8 using 1:2 with linespoints pt 7 ps 0.5 title "espnetv2 scale=1 seed=1", \
     'curves.dat' index 9 using 1:2 with linespoints pt 7 ps 0.5 title "mobilenet_v2 width=0.75 seed=1", \
     'curves.dat' index 10 using 1:2 with linespoints pt 7 ps 0.5 title "mobilenet_v1 width=0.25 seed=1", \
     'curves.dat' index 11 using 1:2 with linespoints pt 7 ps 0.5 title "shufflenet_v1 width=1 seed=1", \
     'curves.dat' index 12 using 1:2 with linespoints pt 7 ps 0.5 title "mobilenet_v2 width=0.35 seed=1", \
     'curves.dat' index 13 using 1:2 with linespoints pt 7 ps 0.5 title "espnetv2 scale=0.5 seed=1"
set ylabel 'training loss'
set key off
plot 'curves.dat' index 0 using 1:3 with linespoints pt 7 ps 0.5 notitle, \
     'curves.dat' index 1 using 1:3 with linespoints pt 7 ps 0.5 notitle, \
     'curves.dat' index 2 using 1:3 with linespoints pt 7 ps 0.5 notitle, \
     'curves.dat' index 3 using 1:3 with linespoints pt 7 ps 0.5 notitle, \
     'curves.dat' index 4 using 1:3 with linespoints pt 7 ps 0.5 notitle, \
     'curves.dat' index 5 using 1:3 with linespoints pt 7 ps 0.5 notitle, \
     'curves.dat' index 6 using 1:3 with linespoints pt 7 ps 0.5 notitle, \
     'curves.dat' index 7 using 1:3 with linespoints pt 7 ps 0.5 notitle, \
     'curves.dat' index 8 using 1:3 with linespoints pt 7 ps 0.5 notitle, \
     'curves.dat' index 9 using 1:3 with linespoints pt 7 ps 0.5 notitle, \
     'curves.dat' index 10 using 1:3 with linespoints pt 7 ps 0.5 notitle, \
     'curves.dat' index 11 using 1:3 with linespoints pt 7 ps 0.5 notitle, \
     'curves.dat' index 12 using 1:3 with linespoints pt 7 ps 0.5 notitle, \
     'curves.dat' index 13 using 1:3 with linespoints pt 7 ps 0.5 notitle
unset multiplot
