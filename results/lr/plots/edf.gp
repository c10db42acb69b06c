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
set title "error EDF: lr (30 finished runs)"
set xlabel 'test error (%) = 100 - final test top-1'
set ylabel 'fraction of runs with error <= x'
set yrange [0:1.05]
set grid
set key bottom right
set offsets graph 0.05, graph 0.05, 0, 0
plot 'edf.dat' index 0 using 1:2 with steps lw 2 lc rgb '#0072B2' title "espnetv2 lr_base=0.0125 (n=1)", \
     'edf.dat' index 1 using 1:2 with steps lw 2 lc rgb '#D55E00' title "espnetv2 lr_base=0.025 (n=1)", \
     'edf.dat' index 2 using 1:2 with steps lw 2 lc rgb '#009E73' title "espnetv2 lr_base=0.05 (n=1)", \
     'edf.dat' index 3 using 1:2 with steps lw 2 lc rgb '#CC79A7' title "espnetv2 lr_base=0.1 (n=1)", \
     'edf.dat' index 4 using 1:2 with steps lw 2 lc rgb '#E69F00' title "espnetv2 lr_base=0.2 (n=1)", \
     'edf.dat' index 5 using 1:2 with steps lw 2 lc rgb '#56B4E9' title "espnetv2 lr_base=0.4 (n=1)", \
     'edf.dat' index 6 using 1:2 with steps lw 2 lc rgb '#332288' title "mobilenet_v1 lr_base=0.0125 (n=1)", \
     'edf.dat' index 7 using 1:2 with steps lw 2 lc rgb '#882255' title "mobilenet_v1 lr_base=0.025 (n=1)", \
     'edf.dat' index 8 using 1:2 with steps lw 2 lc rgb '#44AA99' title "mobilenet_v1 lr_base=0.05 (n=1)", \
     'edf.dat' index 9 using 1:2 with steps lw 2 lc rgb '#999933' title "mobilenet_v1 lr_base=0.1 (n=1)", \
     'edf.dat' index 10 using 1:2 with steps lw 2 lc rgb '#AA4499' title "mobilenet_v1 lr_base=0.2 (n=1)", \
     'edf.dat' index 11 using 1:2 with steps lw 2 lc rgb '#661100' title "mobilenet_v1 lr_base=0.4 (n=1)", \
     'edf.dat' index 12 using 1:2 with steps lw 2 lc rgb '#0072B2' title "mobilenet_v2 lr_base=0.0125 (n=1)", \
     'edf.dat' index 13 using 1:2 with steps lw 2 lc rgb '#D55E00' title "mobilenet_v2 lr_base=0.025 (n=1)", \
     'edf.dat' index 14 using 1:2 with steps lw 2 lc rgb '#009E73' title "mobilenet_v2 lr_base=0.05 (n=1)", \
     'edf.dat' index 15 using 1:2 with steps lw 2 lc rgb '#CC79A7' title "mobilenet_v2 lr_base=0.1 (n=1)", \
     'edf.dat' index 16 using 1:2 with steps lw 2 lc rgb '#E69F00' title "mobilenet_v2 lr_base=0.2 (n=1)", \
     'edf.dat' index 17 using 1:2 with steps lw 2 lc rgb '#56B4E9' title "mobilenet_v2 lr_base=0.4 (n=1)", \
     'edf.dat' index 18 using 1:2 with steps lw 2 lc rgb '#332288' title "shufflenet_v1 lr_base=0.0125 (n=1)", \
     'edf.dat' index 19 using 1:2 with steps lw 2 lc rgb '#882255' title "shufflenet_v1 lr_base=0.025 (n=1)", \
     'edf.dat' index 20 using 1:2 with steps lw 2 lc rgb '#44AA99' title "shufflenet_v1 lr_base=0.05 (n=1)", \
     'edf.dat' index 21 using 1:2 with steps lw 2 lc rgb '#999933' title "shufflenet_v1 lr_base=0.1 (n=1)", \
     'edf.dat' index 22 using 1:2 with steps lw 2 lc rgb '#AA4499' title "shufflenet_v1 lr_base=0.2 (n=1)", \
     'edf.dat' index 23 using 1:2 with steps lw 2 lc rgb '#661100' title "shufflenet_v1 lr_base=0.4 (n=1)", \
     'edf.dat' index 24 using 1:2 with steps lw 2 lc rgb '#0072B2' title "shufflenet_v2 lr_base=0.0125 (n=1)", \
     'edf.dat' index 25 using 1:2 with steps lw 2 lc rgb '#D55E00' title "shufflenet_v2 lr_base=0.025 (n=1)", \
     'edf.dat' index 26 using 1:2 with steps lw 2 lc rgb '#009E73' title "shufflenet_v2 lr_base=0.05 (n=1)", \
     'edf.dat' index 27 using 1:2 with steps lw 2 lc rgb '#CC79A7' title "shufflenet_v2 lr_base=0.1 (n=1)", \
     'edf.dat' index 28 using 1:2 with steps lw 2 lc rgb '#E69F00' title "shufflenet_v2 lr_base=0.2 (n=1)", \
     'edf.dat' index 29 using 1:2 with steps lw 2 lc rgb '#56B4E9' title "shufflenet_v2 lr_base=0.4 (n=1)"
