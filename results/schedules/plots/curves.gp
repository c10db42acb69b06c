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
set multiplot layout 1,2 title "training curves: schedules"
set grid
set xlabel 'epoch'
set key bottom right font ',8'
set ylabel 'test top-1 (%)'
plot 'curves.dat' index 0 using 1:2 with linespoints pt 7 ps 0.5 title "schedule=cosine seed=1", \
     'curves.dat' index 1 using 1:2 with linespoints pt 7 ps 0.5 title "schedule=cosine seed=2", \
     'curves.dat' index 2 using 1:2 with linespoints pt 7 ps 0.5 title "schedule=step seed=3", \
     'curves.dat' index 3 using 1:2 with linespoints pt 7 ps 0.5 title "schedule=step seed=2", \
     'curves.dat' index 4 using 1:2 with linespoints pt 7 ps 0.5 title "schedule=cyclic seed=3", \
     'curves.dat' index 5 using 1:2 with linespoints pt 7 ps 0.5 title "schedule=cosine seed=3", \
     'curves.dat' index 6 using 1:2 with linespoints pt 7 ps 0.5 title "schedule=cyclic seed=1", \
     'curves.dat' index 7 using 1:2 with linespoints pt 7 ps 0.5 title "schedule=step seed=1", \
     'curves.dat' index 8 using 1:2 with linespoints pt 7 ps 0.5 title "schedule=cyclic seed=2"
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
     'curves.dat' index 8 using 1:3 with linespoints pt 7 ps 0.5 notitle
unset multiplot
