# Written by `espbench plot` from the sweep's report.json files; restyle freely, then re-render in
# this folder:  gnuplot latency_vs_macs.gp  (SVG)   or   gnuplot -e "fmt='png'" latency_vs_macs.gp  (PNG)
if (!exists("fmt")) fmt = 'svg'
if (fmt eq 'png') {
  set terminal pngcairo noenhanced size 1100,700 font ',10'
  set output 'latency_vs_macs.png'
} else {
  set terminal svg noenhanced size 1100,700 dynamic font ',10'
  set output 'latency_vs_macs.svg'
}
set title "measured latency vs MACs: blocks (3 configs, 9 finished runs) on AMD EPYC"
set xlabel "MACs per image (conv + linear, at the training resolution), log scale"
set ylabel "latency p50 (ms), 1 thread, batch 1, input 1x1x28x28: mean over seeds, log scale"
set lmargin at screen 0.08
set rmargin at screen 0.62
set bmargin at screen 0.11
set tmargin at screen 0.91
set grid lc rgb '#dddddd'
set logscale x
set xrange [5163821.87:42336017.31]
set xtics ("7M" 7000000, "10M" 10000000, "15M" 15000000, "20M" 20000000, "30M" 30000000)
unset mxtics
set logscale y
set yrange [0.4885369866:4.569596043]
set ytics ("0.5" 0.5, "1" 1, "2" 2, "4" 4)
unset mytics
set key at screen 0.65,0.91 left top Left reverse samplen 2 spacing 1.2 font ',10'
# config numbers, placed by espbench so that none overlaps another (screen coordinates)
set label "1" at screen 0.09702,0.69799 center font ',9' tc rgb '#0072B2' front
set label "2" at screen 0.12929,0.67605 center font ',9' tc rgb '#D55E00' front
set label "3" at screen 0.59889,0.84310 center font ',9' tc rgb '#009E73' front
set label "1" at screen 0.12111,0.20953 center font ',9' tc rgb '#0072B2' front
set label "2" at screen 0.12929,0.64650 center font ',9' tc rgb '#D55E00' front
set label "3" at screen 0.59889,0.81475 center font ',9' tc rgb '#009E73' front
set label 'no.  config' at screen 0.65000,0.75714 left font ',9' front
set label "  1  block=eesp" at screen 0.65000,0.73714 left font ',9' tc rgb '#0072B2' front
set label "  2  block=eesp_a" at screen 0.65000,0.71714 left font ',9' tc rgb '#D55E00' front
set label "  3  block=esp dilations=r_lim" at screen 0.65000,0.69714 left font ',9' tc rgb '#009E73' front
plot 'latency_vs_macs.dat' index 0 using ($1*$8):4:($2*$8):($3*$8):5:6 with xyerrorlines lw 1.5 pt 7 ps 0.9 lc rgb '#0072B2' dt 1 notitle, \
     'latency_vs_macs.dat' index 1 using ($1*$8):4:($2*$8):($3*$8):5:6 with xyerrorlines lw 1.5 pt 7 ps 0.9 lc rgb '#D55E00' dt 1 notitle, \
     'latency_vs_macs.dat' index 2 using ($1*$8):4:($2*$8):($3*$8):5:6 with xyerrorlines lw 1.5 pt 7 ps 0.9 lc rgb '#009E73' dt 1 notitle, \
     'latency_vs_macs.dat' index 3 using ($1*$8):4:($2*$8):($3*$8):5:6 with xyerrorlines lw 1.5 pt 9 ps 0.9 lc rgb '#0072B2' dt 1 notitle, \
     'latency_vs_macs.dat' index 4 using ($1*$8):4:($2*$8):($3*$8):5:6 with xyerrorlines lw 1.5 pt 9 ps 0.9 lc rgb '#D55E00' dt 1 notitle, \
     'latency_vs_macs.dat' index 5 using ($1*$8):4:($2*$8):($3*$8):5:6 with xyerrorlines lw 1.5 pt 9 ps 0.9 lc rgb '#009E73' dt 1 notitle, \
     NaN with linespoints lw 1.5 pt 7 lc rgb '#0072B2' dt 1 title "block=eesp", \
     NaN with linespoints lw 1.5 pt 7 lc rgb '#D55E00' dt 1 title "block=eesp_a", \
     NaN with linespoints lw 1.5 pt 7 lc rgb '#009E73' dt 1 title "block=esp dilations=r_lim", \
     NaN with points pt 7 ps 1.1 lc rgb '#444444' title "plain LibTorch", \
     NaN with points pt 9 ps 1.1 lc rgb '#444444' title "--fast"
