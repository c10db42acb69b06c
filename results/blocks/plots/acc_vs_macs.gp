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
set title "test top-1 vs MACs: blocks"
set xlabel "MACs per image (conv + linear), log scale"
set ylabel 'test top-1 (%), mean +- std over seeds'
set logscale x
set format x '%.0s%c'
set grid
set key outside right top
set offsets graph 0.05, graph 0.15, graph 0.08, graph 0.05
plot 'acc_vs_macs.dat' index 0 using 1:2:3 with yerrorlines lw 1.5 pt 7 ps 0.8 lc 1 title "block=eesp", \
     'acc_vs_macs.dat' index 0 using 1:2:4 with labels offset 0,0.9 font ',8' notitle, \
     'acc_vs_macs.dat' index 1 using 1:2:3 with yerrorlines lw 1.5 pt 7 ps 0.8 lc 2 title "block=eesp_a", \
     'acc_vs_macs.dat' index 1 using 1:2:4 with labels offset 0,-0.9 font ',8' notitle, \
     'acc_vs_macs.dat' index 2 using 1:2:3 with yerrorlines lw 1.5 pt 7 ps 0.8 lc 3 title "block=esp", \
     'acc_vs_macs.dat' index 2 using 1:2:4 with labels offset 0,0.9 font ',8' notitle, \
     'acc_vs_macs.dat' index 3 using 1:2 with linespoints dt 2 lw 2 pt 6 ps 2 lc rgb 'black' title 'Pareto front'
