# Written by `espbench plot` from the sweep's report.json files; restyle freely, then re-render in
# this folder:  gnuplot edf.gp  (SVG)   or   gnuplot -e "fmt='png'" edf.gp  (PNG)
if (!exists("fmt")) fmt = 'svg'
if (fmt eq 'png') {
  set terminal pngcairo noenhanced size 1100,700 font ',10'
  set output 'edf.png'
} else {
  set terminal svg noenhanced size 1100,700 dynamic font ',10'
  set output 'edf.svg'
}
set title "error EDF: frontier (45 finished runs)"
set xlabel 'test error (%) = 100 - final test top-1'
set ylabel 'fraction of runs with error <= x'
set yrange [0:1.05]
set grid
set key bottom right
set offsets graph 0.05, graph 0.05, 0, 0
plot 'edf.dat' index 0 using 1:2 with steps lw 2 lc rgb '#0072B2' title "espnetv2 (n=9)", \
     'edf.dat' index 1 using 1:2 with steps lw 2 lc rgb '#D55E00' title "mobilenet_v1 (n=9)", \
     'edf.dat' index 2 using 1:2 with steps lw 2 lc rgb '#009E73' title "mobilenet_v2 (n=9)", \
     'edf.dat' index 3 using 1:2 with steps lw 2 lc rgb '#CC79A7' title "shufflenet_v1 (n=9)", \
     'edf.dat' index 4 using 1:2 with steps lw 2 lc rgb '#E69F00' title "shufflenet_v2 (n=9)"
